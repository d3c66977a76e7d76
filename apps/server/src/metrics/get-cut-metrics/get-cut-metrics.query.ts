import { Query } from '@nestjs/cqrs';
import type { CutRow, DayWindow, Metric, MetricCut, SqlExecutor } from '@journeyline/projections';
import type { RowWithTrend } from '../metric-trends';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

/**
 * Metric rows of a cut (two dimensions, or place and portrait filters) over a window: the
 * metrics and worst-touchpoint reads ask it when they are given a cut. `worst` ranks the rows
 * worst first and keeps `limit` of them (each then with its trend); `compare` adds trends.
 */
export class GetCutMetricsQuery extends Query<(CutRow | RowWithTrend)[]> {
  constructor(
    readonly metric: Metric,
    readonly cut: MetricCut,
    readonly window: DayWindow,
    readonly minSample: number,
    readonly compare: boolean,
    readonly worst?: { limit: number },
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
