import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { asJourneyEvent, buildJourney, customerStreamId, type Journey, type RecordedJourneyEvent } from '@journeyline/journey';
import { GetCustomerJourneyQuery } from './get-customer-journey.query';

/**
 * The journey folded from the customer's stream: one indexed read of the log, always current (a
 * client that just posted an event reads it back), and `asOf` counts only what had been recorded
 * by then. The journey map's read model keeps the summaries the customer list filters on.
 */
@QueryHandler(GetCustomerJourneyQuery)
export class GetCustomerJourneyHandler implements IQueryHandler<GetCustomerJourneyQuery, Journey | null> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ customerId, asOf }: GetCustomerJourneyQuery): Promise<Journey | null> {
    const events: RecordedJourneyEvent[] = [];
    for (const stored of await this.store.readStream(customerStreamId(customerId))) {
      if (asOf && Date.parse(stored.recordedAt) > asOf.getTime()) continue;
      // a malformed event (parked by the projections, see /health) is left out, never a 500
      const checked = asJourneyEvent(stored);
      if (checked.ok) events.push(checked.event);
    }
    return buildJourney(customerId, events, asOf ?? new Date());
  }
}
