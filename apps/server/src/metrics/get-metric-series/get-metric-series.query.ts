import { Query } from '@nestjs/cqrs';
import type { dailySeries, DayWindow, Dimension, Metric } from '@journeyline/projections';

/** One metric value per local day (or per `step` days) for one key. */
export class GetMetricSeriesQuery extends Query<Awaited<ReturnType<typeof dailySeries>>> {
  constructor(
    readonly metric: Metric,
    readonly by: Dimension,
    readonly key: string,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly step = 1,
  ) {
    super();
  }
}
