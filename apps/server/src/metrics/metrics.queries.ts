import { Query } from '@nestjs/cqrs';
import type { dailySeries, DayWindow, Dimension, Metric, MetricRow, scoreDistribution } from '@journeyline/projections';

/** How a row compares with the previous window of equal length. */
export interface MetricTrend {
  previousValue: number | null;
  previousN: number;
  delta: number | null;
  direction: 'improving' | 'worsening' | 'flat' | 'unknown';
}

export type WorstRow = MetricRow & { trend: MetricTrend };

/** Metric rows per key of a dimension over a window. */
export class GetMetricsQuery extends Query<MetricRow[]> {
  constructor(readonly metric: Metric, readonly by: Dimension, readonly window: DayWindow, readonly minSample: number, readonly key?: string) {
    super();
  }
}

/** Rows ranked worst first, each with its trend versus the previous window of equal length. */
export class GetWorstQuery extends Query<WorstRow[]> {
  constructor(readonly metric: Metric, readonly by: Exclude<Dimension, 'all'>, readonly window: DayWindow, readonly minSample: number, readonly limit: number) {
    super();
  }
}

export class GetMetricSeriesQuery extends Query<Awaited<ReturnType<typeof dailySeries>>> {
  constructor(readonly metric: Metric, readonly by: Dimension, readonly key: string, readonly window: DayWindow, readonly minSample: number) {
    super();
  }
}

export class GetScoreDistributionQuery extends Query<Awaited<ReturnType<typeof scoreDistribution>>> {
  constructor(readonly metric: Exclude<Metric, 'ttr'>, readonly by: Dimension, readonly key: string, readonly window: DayWindow) {
    super();
  }
}
