import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listFollowUps, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { ListFollowUpsQuery } from './list-follow-ups.query';

@QueryHandler(ListFollowUpsQuery)
export class ListFollowUpsHandler implements IQueryHandler<ListFollowUpsQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ filter, limit, after }: ListFollowUpsQuery) {
    return listFollowUps(this.db.reader, { ...filter, limit, after });
  }
}
