import { Query } from '@nestjs/cqrs';
import type { CatalogGrouping, DayWindow, Dimension, Metric, MetricRow } from '@journeyline/projections';
import type { RowWithTrend } from '../metric-trends';

/** Metric rows per key of a dimension over a window; with `compare`, each with its trend against the window before. */
export class GetMetricsQuery extends Query<(MetricRow | RowWithTrend)[]> {
  constructor(
    readonly metric: Metric,
    readonly by: Dimension | CatalogGrouping,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly compare = false,
  ) {
    super();
  }
}
