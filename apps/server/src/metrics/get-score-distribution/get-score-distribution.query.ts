import { Query } from '@nestjs/cqrs';
import type { DayWindow, Dimension, Metric, scoreDistribution, MetricsAsOf } from '@journeyline/projections';

/** How many answers gave each score, per scale, for one key. */
export class GetScoreDistributionQuery extends Query<Awaited<ReturnType<typeof scoreDistribution>>> {
  constructor(
    readonly metric: Exclude<Metric, 'ttr'>,
    readonly by: Dimension,
    readonly key: string,
    readonly window: DayWindow,
    /** As Journeyline would have answered then (absent: now). */
    readonly asOf?: MetricsAsOf,
  ) {
    super();
  }
}
