import type { SqlExecutor } from '@journeyline/projections';
import { Query } from '@nestjs/cqrs';
import type { PortraitFilter, queryRetention } from '@journeyline/projections';

/** Retention and churn rates for [from, to). */
export class GetRetentionQuery extends Query<Awaited<ReturnType<typeof queryRetention>>> {
  constructor(
    readonly from: Date,
    readonly to: Date,
    /** Only customers whose latest portrait matches every one of these. */
    readonly portrait: PortraitFilter = {},
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
