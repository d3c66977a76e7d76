import { Query } from '@nestjs/cqrs';
import type { FollowUpCursor, FollowUpFilter, listFollowUps } from '@journeyline/projections';

export class ListFollowUpsQuery extends Query<Awaited<ReturnType<typeof listFollowUps>>> {
  constructor(
    readonly filter: FollowUpFilter,
    readonly limit: number,
    readonly after: FollowUpCursor | undefined,
  ) {
    super();
  }
}
