import { Query } from '@nestjs/cqrs';
import type { ChurnRulesEntry } from '../definitions-answers';

/** The churn-risk rules in force and every version, oldest first. */
export class ListChurnRulesQuery extends Query<{ version: number; rules: ChurnRulesEntry['rules']; items: ChurnRulesEntry[] }> {}
