import { Query } from '@nestjs/cqrs';
import type { dailySeries, DayWindow, Dimension, Metric, MetricsAsOf } from '@journeyline/projections';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

/** One metric value per local day (or per `step` days) for one key. */
export class GetMetricSeriesQuery extends Query<Awaited<ReturnType<typeof dailySeries>>> {
  constructor(
    readonly metric: Metric,
    readonly by: Dimension,
    readonly key: string,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly step = 1,
    /** As Journeyline would have answered then (absent: now). */
    readonly asOf?: MetricsAsOf,
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
  ) {
    super();
  }
}
