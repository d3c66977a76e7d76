import { Query } from '@nestjs/cqrs';
import type { Delivery, DeliveryStatus } from '@journeyline/platform';

/** The webhook delivery log, newest first. */
export class ListWebhookDeliveriesQuery extends Query<{ items: Delivery[] }> {
  constructor(
    readonly limit: number,
    readonly status?: DeliveryStatus,
  ) {
    super();
  }
}
