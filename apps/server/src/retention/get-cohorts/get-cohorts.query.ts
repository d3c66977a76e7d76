import type { SqlExecutor } from '@journeyline/projections';
import { Query } from '@nestjs/cqrs';
import type { CohortRow, JourneyFilter } from '@journeyline/projections';

/** Customers by first-purchase month, and how many are still active N months later. */
export class GetCohortsQuery extends Query<CohortRow[]> {
  constructor(
    readonly from: Date,
    readonly to: Date,
    readonly timeZone: string,
    readonly now: Date,
    /** Only customers whose latest portrait matches every one of these, and who visited these places. */
    readonly filter: JourneyFilter = {},
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
