import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { READ_MODEL_DATABASE, touchpointCatalog, type CatalogItem, type ReadModelDatabase } from '@journeyline/projections';
import { ListTouchpointsQuery } from './list-touchpoints.query';

/** From the read models: tp_catalog, the journey map's visit counts and the metrics' touchpoint buckets. */
@QueryHandler(ListTouchpointsQuery)
export class ListTouchpointsHandler implements IQueryHandler<ListTouchpointsQuery, { items: CatalogItem[] }> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  async execute(): Promise<{ items: CatalogItem[] }> {
    return { items: await touchpointCatalog(this.db.reader) };
  }
}
