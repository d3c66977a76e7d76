import { Query } from '@nestjs/cqrs';
import type { DayWindow, Metric, MetricsAsOf, SqlExecutor, TouchpointStageRow } from '@journeyline/projections';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

/** Each touchpoint's metric for the window beside how its visits spread over the six stages. */
export class GetTouchpointStagesQuery extends Query<TouchpointStageRow[]> {
  constructor(
    readonly metric: Metric,
    readonly window: DayWindow,
    readonly minSample: number,
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
    /** The per-customer read models as of a past moment (AsOfReadModels), for the visits; absent: today's. */
    readonly readModels?: SqlExecutor,
    /** The metrics as of the same moment, by their fast path; absent: today's. */
    readonly metricsAsOf?: MetricsAsOf,
  ) {
    super();
  }
}
