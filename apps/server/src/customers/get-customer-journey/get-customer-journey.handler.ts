import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { asJourneyEvent, buildJourney, customerStreamId, type Journey, type RecordedJourneyEvent } from '@journeyline/journey';
import { membersOf, personOf, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { GetCustomerJourneyQuery } from './get-customer-journey.query';

/**
 * The journey folded from the streams: one indexed read of the log per customer, always current
 * (a client that just posted an event reads it back), and `asOf` counts only what had been
 * recorded by then. A customer merged into another answers with the person they belong to (as
 * the journey map's merges say), every member's facts joined in (occurredAt, log position) order,
 * so one person reads the same whichever of their ids is asked. As of a past moment the answer
 * also says how it was made: `asOfStatement: {asOf, path: 'stream', eventsReplayed}`.
 */
@QueryHandler(GetCustomerJourneyQuery)
export class GetCustomerJourneyHandler implements IQueryHandler<GetCustomerJourneyQuery, Journey | null> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
  ) {}

  async execute({ customerId, asOf }: GetCustomerJourneyQuery): Promise<Journey | null> {
    const person = await personOf(this.db.reader, customerId);
    const members = await membersOf(this.db.reader, person);
    const events: RecordedJourneyEvent[] = [];
    for (const member of members) {
      for (const stored of await this.store.readStream(customerStreamId(member))) {
        if (asOf && Date.parse(stored.recordedAt) > asOf.getTime()) continue;
        // a malformed event (parked by the projections, see /health) is left out, never a 500
        const checked = asJourneyEvent(stored);
        if (checked.ok) events.push({ ...checked.event, revision: stored.position });
      }
    }
    const journey = buildJourney(person, events, asOf ?? new Date());
    if (!journey) return null;
    return {
      ...journey,
      ...(person !== customerId ? { mergedInto: person } : {}),
      ...(members.length > 1 ? { mergedCustomers: members.slice(1) } : {}),
      // how an answer as of a past moment was made, as the other reads say it (`asOf` itself stays the instant)
      ...(asOf ? { asOfStatement: { asOf: asOf.toISOString(), path: 'stream', eventsReplayed: events.length } } : {}),
    };
  }
}
