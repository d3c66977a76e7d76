import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { queryRetention, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetRetentionQuery } from './get-retention.query';

@QueryHandler(GetRetentionQuery)
export class GetRetentionHandler implements IQueryHandler<GetRetentionQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ from, to, bucketTimeZone, filter, readModels }: GetRetentionQuery) {
    return queryRetention(readModels ?? this.db.reader, from, to, bucketTimeZone, filter);
  }
}
