import type { DayWindow, Dimension, Metric } from '@journeyline/projections';

/** Metric rows per key of a dimension over a window. */
export class GetMetricsQuery {
  constructor(readonly metric: Metric, readonly by: Dimension, readonly window: DayWindow, readonly minSample: number, readonly key?: string) {}
}

/** Rows ranked worst first, each with its trend versus the previous window of equal length. */
export class GetWorstQuery {
  constructor(readonly metric: Metric, readonly by: Exclude<Dimension, 'all'>, readonly window: DayWindow, readonly minSample: number, readonly limit: number) {}
}

export class GetMetricSeriesQuery {
  constructor(readonly metric: Metric, readonly by: Dimension, readonly key: string, readonly window: DayWindow, readonly minSample: number) {}
}

export class GetScoreDistributionQuery {
  constructor(readonly metric: Exclude<Metric, 'ttr'>, readonly by: Dimension, readonly key: string, readonly window: DayWindow) {}
}
