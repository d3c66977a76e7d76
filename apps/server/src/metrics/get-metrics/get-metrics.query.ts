import { Query } from '@nestjs/cqrs';
import type { DayWindow, Dimension, Metric, MetricRow } from '@journeyline/projections';

/** Metric rows per key of a dimension over a window. */
export class GetMetricsQuery extends Query<MetricRow[]> {
  constructor(readonly metric: Metric, readonly by: Dimension, readonly window: DayWindow, readonly minSample: number, readonly key?: string) {
    super();
  }
}
