import { Query } from '@nestjs/cqrs';
import type { CatalogGrouping, DayWindow, Dimension, Metric, MetricRow, MetricsAsOf, SqlExecutor } from '@journeyline/projections';
import type { RowWithTrend } from '../metric-trends';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

/** Metric rows per key of a dimension over a window; with `compare`, each with its trend against the window before. */
export class GetMetricsQuery extends Query<(MetricRow | RowWithTrend)[]> {
  constructor(
    readonly metric: Metric,
    readonly by: Dimension | CatalogGrouping,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly compare = false,
    /** As Journeyline would have answered then (null: now). */
    readonly asOf?: MetricsAsOf,
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
    /** The read models as of a past moment (AsOfMetricReadModels: by experience type or owner); absent: today's, or `asOf`'s fast path. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
