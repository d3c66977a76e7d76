import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { queryCohorts, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetCohortsQuery } from './get-cohorts.query';

@QueryHandler(GetCohortsQuery)
export class GetCohortsHandler implements IQueryHandler<GetCohortsQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ from, to, timeZone, now, filter, readModels }: GetCohortsQuery) {
    return queryCohorts(readModels ?? this.db.reader, from, to, timeZone, now, filter);
  }
}
