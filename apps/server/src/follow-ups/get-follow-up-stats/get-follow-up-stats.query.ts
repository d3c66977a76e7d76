import { Query } from '@nestjs/cqrs';
import type { FollowUpStats } from '@journeyline/journey';

export class GetFollowUpStatsQuery extends Query<FollowUpStats> {
  constructor(readonly window: { from: string; to: string }) {
    super();
  }
}
