import { Query } from '@nestjs/cqrs';
import type { DayWindow, Metric, TouchpointStageRow } from '@journeyline/projections';

/** Each touchpoint's metric for the window beside how its visits spread over the six stages. */
export class GetTouchpointStagesQuery extends Query<TouchpointStageRow[]> {
  constructor(
    readonly metric: Metric,
    readonly window: DayWindow,
    readonly minSample: number,
  ) {
    super();
  }
}
