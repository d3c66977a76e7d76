import type { SqlExecutor } from '@journeyline/projections';
import { Query } from '@nestjs/cqrs';
import type { Funnel, FunnelSplit, JourneyFilter } from '@journeyline/projections';

/** The cohort whose first touchpoint is in [from, to): customers per stage, conversion, time between stages. */
export class GetFunnelQuery extends Query<Funnel[]> {
  constructor(
    readonly from: Date,
    readonly to: Date,
    /** The zone of the day buckets (JOURNEYLINE_TIME_ZONE). */
    readonly bucketTimeZone: string,
    readonly split?: FunnelSplit,
    /** Only customers whose latest portrait matches every one of these, and who visited these places. */
    readonly filter: JourneyFilter = {},
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
