import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { WebhookDelivery, type Delivery } from '@journeyline/platform';
import { ListWebhookDeliveriesQuery } from './list-webhook-deliveries.query';

@QueryHandler(ListWebhookDeliveriesQuery)
export class ListWebhookDeliveriesHandler implements IQueryHandler<ListWebhookDeliveriesQuery, { items: Delivery[] }> {
  constructor(private readonly webhooks: WebhookDelivery) {}

  async execute({ limit, status }: ListWebhookDeliveriesQuery): Promise<{ items: Delivery[] }> {
    return { items: await this.webhooks.deliveries({ limit, status }) };
  }
}
