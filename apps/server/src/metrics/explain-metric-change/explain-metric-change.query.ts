import { Query } from '@nestjs/cqrs';
import type { DayWindow, ExplainGrouping, Metric, PlaceDimension } from '@journeyline/projections';
import type { MetricChangeExplained } from './metric-change-explained';

/** Why a metric differs between a window and the one of equal length just before it. */
export class ExplainMetricChangeQuery extends Query<MetricChangeExplained> {
  constructor(
    readonly metric: Metric,
    readonly place: Partial<Record<PlaceDimension, string>>,
    readonly by: ExplainGrouping,
    readonly window: DayWindow,
    readonly scale: string | undefined,
    readonly limit: number,
  ) {
    super();
  }
}
