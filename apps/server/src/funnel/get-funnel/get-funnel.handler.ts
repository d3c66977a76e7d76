import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { queryFunnel, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetFunnelQuery } from './get-funnel.query';

@QueryHandler(GetFunnelQuery)
export class GetFunnelHandler implements IQueryHandler<GetFunnelQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ from, to, bucketTimeZone, split, filter, readModels }: GetFunnelQuery) {
    return queryFunnel(readModels ?? this.db.reader, from, to, bucketTimeZone, split, filter);
  }
}
