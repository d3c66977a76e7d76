import type { SqlExecutor } from '@journeyline/projections';
import { Query } from '@nestjs/cqrs';
import type { JourneyFilter, queryRetention } from '@journeyline/projections';

/** Retention and churn rates for [from, to). */
export class GetRetentionQuery extends Query<Awaited<ReturnType<typeof queryRetention>>> {
  constructor(
    readonly from: Date,
    readonly to: Date,
    /** The zone of the day buckets (JOURNEYLINE_TIME_ZONE). */
    readonly bucketTimeZone: string,
    /** Only customers whose latest portrait matches every one of these, and who visited these places. */
    readonly filter: JourneyFilter = {},
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
