import { Query } from '@nestjs/cqrs';
import type { DayWindow, Dimension, Metric, MetricRow } from '@journeyline/projections';

/** How a row compares with the previous window of equal length. */
export interface MetricTrend {
  previousValue: number | null;
  previousN: number;
  delta: number | null;
  direction: 'improving' | 'worsening' | 'flat' | 'unknown';
}

export type WorstRow = MetricRow & { trend: MetricTrend };

/** Rows ranked worst first, each with its trend versus the previous window of equal length. */
export class GetWorstQuery extends Query<WorstRow[]> {
  constructor(readonly metric: Metric, readonly by: Exclude<Dimension, 'all'>, readonly window: DayWindow, readonly minSample: number, readonly limit: number) {
    super();
  }
}
