import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Delivery } from '@journeyline/platform';
import { Requires } from '../../access/requires.decorator';
import { ListWebhookDeliveriesQuery } from './list-webhook-deliveries.query';
import { ListWebhookDeliveriesQueryDto } from './list-webhook-deliveries.request.dto';

/**
 * GET /api/v1/webhooks/deliveries?status=pending|delivered|dead&limit= (admin): each alert event
 * sent to each webhook, newest first: its status, tries, last answer or error, when the next try
 * is due, and every try in `history`.
 */
@Controller('api/v1/webhooks/deliveries')
@Requires('admin')
export class ListWebhookDeliveriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  list(@Query() query: ListWebhookDeliveriesQueryDto): Promise<{ items: Delivery[] }> {
    return this.queryBus.execute(new ListWebhookDeliveriesQuery(query.limit ?? 100, query.status));
  }
}
