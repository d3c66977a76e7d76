import { Query } from '@nestjs/cqrs';
import type { DayWindow, Dimension, Metric, MetricsAsOf } from '@journeyline/projections';
import type { RowWithTrend } from '../metric-trends';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

export type WorstRow = RowWithTrend;

/** Rows ranked worst first, each with its trend versus the previous window of equal length. */
export class GetWorstQuery extends Query<WorstRow[]> {
  constructor(
    readonly metric: Metric,
    readonly by: Exclude<Dimension, 'all'>,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly limit: number,
    /** As Journeyline would have answered then (absent: now). */
    readonly asOf?: MetricsAsOf,
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
  ) {
    super();
  }
}
