import { Query } from '@nestjs/cqrs';
import type { ChurnRiskListQuery, ChurnRulesInForce } from '@journeyline/projections';
import type { ChurnRisksPage } from '../list-churn-risks/list-churn-risks.query';

/** When and over how many customers the flags of a rules version were evaluated. */
export interface Evaluation {
  evaluatedAt: string;
  customersEvaluated: number;
}

/**
 * A page of the flags the rules of `rules.version` would raise on today's data, now: evaluated,
 * never written; paged, sorted and filtered as the recorded flags are.
 */
export class EvaluateChurnRisksQuery extends Query<ChurnRisksPage & { evaluation: Evaluation }> {
  constructor(
    readonly rules: ChurnRulesInForce,
    readonly query: ChurnRiskListQuery,
  ) {
    super();
  }
}
