import { Query } from '@nestjs/cqrs';
import type { DayWindow, Dimension, Metric } from '@journeyline/projections';
import type { RowWithTrend } from '../metric-trends';

export type WorstRow = RowWithTrend;

/** Rows ranked worst first, each with its trend versus the previous window of equal length. */
export class GetWorstQuery extends Query<WorstRow[]> {
  constructor(
    readonly metric: Metric,
    readonly by: Exclude<Dimension, 'all'>,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly limit: number,
  ) {
    super();
  }
}
