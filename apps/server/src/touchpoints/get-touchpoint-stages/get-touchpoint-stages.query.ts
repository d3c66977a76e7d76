import { Query } from '@nestjs/cqrs';
import type { DayWindow, Metric, TouchpointStageRow } from '@journeyline/projections';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

/** Each touchpoint's metric for the window beside how its visits spread over the six stages. */
export class GetTouchpointStagesQuery extends Query<TouchpointStageRow[]> {
  constructor(
    readonly metric: Metric,
    readonly window: DayWindow,
    readonly minSample: number,
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
  ) {
    super();
  }
}
