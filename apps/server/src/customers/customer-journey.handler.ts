import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { buildJourney, customerStreamId, type Journey, type RecordedJourneyEvent } from '@journeyline/journey';
import { READ_MODEL_DATABASE, readJourney, type ReadModelDatabase } from '@journeyline/projections';
import { ProjectionHost } from '../projections/projection-host';
import { GetCustomerJourneyQuery } from './customer-queries';

/**
 * The journey from the journey-map read model. Two cases fold the customer's stream instead:
 * `asOf` (only what had been recorded by then counts), and a read model still behind the log,
 * so a client that just posted an event always reads it back.
 */
@QueryHandler(GetCustomerJourneyQuery)
export class CustomerJourneyHandler implements IQueryHandler<GetCustomerJourneyQuery, Journey | null> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
    private readonly projections: ProjectionHost,
  ) {}

  async execute({ customerId, asOf }: GetCustomerJourneyQuery): Promise<Journey | null> {
    if (!asOf && (await this.projections.projector.position()) >= (await this.store.headPosition())) {
      return readJourney(this.readModels.reader, customerId, new Date());
    }
    const events = await this.store.readStream(customerStreamId(customerId));
    const known = asOf ? events.filter((e) => Date.parse(e.recordedAt) <= asOf.getTime()) : events;
    return buildJourney(customerId, known as unknown as RecordedJourneyEvent[], asOf ?? new Date());
  }
}
