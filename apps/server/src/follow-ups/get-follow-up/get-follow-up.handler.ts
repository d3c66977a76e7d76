import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { getFollowUp, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetFollowUpQuery } from './get-follow-up.query';

@QueryHandler(GetFollowUpQuery)
export class GetFollowUpHandler implements IQueryHandler<GetFollowUpQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ followUpId }: GetFollowUpQuery) {
    return getFollowUp(this.db.reader, followUpId);
  }
}
