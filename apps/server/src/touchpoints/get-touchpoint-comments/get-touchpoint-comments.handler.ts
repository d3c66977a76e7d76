import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { latestComments, READ_MODEL_DATABASE, type ReadModelDatabase, type TouchpointComment } from '@journeyline/projections';
import { GetTouchpointCommentsQuery } from './get-touchpoint-comments.query';

@QueryHandler(GetTouchpointCommentsQuery)
export class GetTouchpointCommentsHandler implements IQueryHandler<GetTouchpointCommentsQuery, TouchpointComment[]> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ touchpoint, from, to, limit, readModels }: GetTouchpointCommentsQuery): Promise<TouchpointComment[]> {
    return latestComments(readModels ?? this.db.reader, { touchpoint, from, to, limit });
  }
}
