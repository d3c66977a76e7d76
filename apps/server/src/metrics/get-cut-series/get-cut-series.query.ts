import { Query } from '@nestjs/cqrs';
import type { cutSeries, DayWindow, Metric, MetricCut, SqlExecutor } from '@journeyline/projections';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

/** One row of a cut (`key` as its rows name it: `hotline|use`, `*` for none) per local day, or per `step` days. */
export class GetCutSeriesQuery extends Query<Awaited<ReturnType<typeof cutSeries>>> {
  constructor(
    readonly metric: Metric,
    readonly cut: MetricCut,
    readonly key: string,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly step = 1,
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
