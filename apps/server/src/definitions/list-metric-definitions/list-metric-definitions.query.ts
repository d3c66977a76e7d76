import { Query } from '@nestjs/cqrs';
import type { MetricDefinitionsEntry } from '../definitions-answers';

/** The metric parameters in force and every version, oldest first. */
export class ListMetricDefinitionsQuery extends Query<{ version: number; parameters: MetricDefinitionsEntry['parameters']; items: MetricDefinitionsEntry[] }> {}
