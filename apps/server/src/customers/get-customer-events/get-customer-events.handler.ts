import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { customerStreamId, wireTypeOf } from '@journeyline/journey';
import { GetCustomerEventsQuery, type CustomerEventsPage } from './get-customer-events.query';

/** A customer's stream in arrival order, one page at a time. Null for an unknown customer. */
@QueryHandler(GetCustomerEventsQuery)
export class GetCustomerEventsHandler implements IQueryHandler<GetCustomerEventsQuery, CustomerEventsPage | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ customerId, limit, fromRevision }: GetCustomerEventsQuery): Promise<CustomerEventsPage | null> {
    const streamId = customerStreamId(customerId);
    const events = await this.store.readStream(streamId, { fromRevision, limit: limit + 1 });
    if (events.length === 0 && (fromRevision === 0 || (await this.store.streamRevision(streamId)) < 0)) return null;
    const page = events.slice(0, limit);
    return {
      items: page.map((e) => ({
        position: e.position,
        revision: e.revision,
        eventId: e.eventId,
        type: wireTypeOf(e.type),
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        data: e.data,
      })),
      nextRevision: events.length > limit ? events[limit].revision : null,
    };
  }
}
