import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { listSegmentUnmapped, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { ListUnmappedMessagesQuery, type UnmappedPage } from './list-unmapped-messages.query';

@QueryHandler(ListUnmappedMessagesQuery)
export class ListUnmappedMessagesHandler implements IQueryHandler<ListUnmappedMessagesQuery, UnmappedPage> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ limit, after }: ListUnmappedMessagesQuery): Promise<UnmappedPage> {
    return listSegmentUnmapped(this.db.reader, { limit, after });
  }
}
