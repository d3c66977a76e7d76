import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { CatalogItem } from '@journeyline/projections';
import { Requires } from '../../access/requires.decorator';
import { ListTouchpointsQuery } from './list-touchpoints.query';

/**
 * GET /api/v1/touchpoints (read): the catalog, one page (touchpoints are a few hundred at most):
 * every registered touchpoint (`"status": "registered"`, names, channel, stage, owner,
 * experienceType, version, updatedAt), then every touchpoint seen in events but never registered
 * (`"status": "new"`, with the channel and stage it is seen on most), to classify.
 */
@Controller('api/v1/touchpoints')
@Requires('read')
export class ListTouchpointsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  list(): Promise<{ items: CatalogItem[] }> {
    return this.queryBus.execute(new ListTouchpointsQuery());
  }
}
