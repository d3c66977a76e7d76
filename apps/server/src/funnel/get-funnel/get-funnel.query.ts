import type { SqlExecutor } from '@journeyline/projections';
import { Query } from '@nestjs/cqrs';
import type { Funnel, FunnelSplit, PortraitFilter } from '@journeyline/projections';

/** The cohort whose first touchpoint is in [from, to): customers per stage, conversion, time between stages. */
export class GetFunnelQuery extends Query<Funnel[]> {
  constructor(
    readonly from: Date,
    readonly to: Date,
    readonly split?: FunnelSplit,
    /** Only customers whose latest portrait matches every one of these. */
    readonly portrait: PortraitFilter = {},
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
