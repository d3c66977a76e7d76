import { Query } from '@nestjs/cqrs';
import type { DayWindow, Dimension, Metric, scoreDistribution } from '@journeyline/projections';

/** How many answers gave each score, per scale, for one key. */
export class GetScoreDistributionQuery extends Query<Awaited<ReturnType<typeof scoreDistribution>>> {
  constructor(
    readonly metric: Exclude<Metric, 'ttr'>,
    readonly by: Dimension,
    readonly key: string,
    readonly window: DayWindow,
  ) {
    super();
  }
}
