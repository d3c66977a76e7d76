import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { followUpStatsOf, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetFollowUpStatsQuery } from './get-follow-up-stats.query';

@QueryHandler(GetFollowUpStatsQuery)
export class GetFollowUpStatsHandler implements IQueryHandler<GetFollowUpStatsQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ window, readModels }: GetFollowUpStatsQuery) {
    return followUpStatsOf(readModels ?? this.db.reader, window);
  }
}
