import { Query } from '@nestjs/cqrs';
import type { FollowUpStats } from '@journeyline/journey';
import type { SqlExecutor } from '@journeyline/projections';

export class GetFollowUpStatsQuery extends Query<FollowUpStats> {
  constructor(
    readonly window: { from: string; to: string },
    /** The follow-ups as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
