import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { asJourneyEvent, buildJourney, customerStreamId, wireTypeOf, type RecordedJourneyEvent } from '@journeyline/journey';
import { PersonalData } from '@journeyline/privacy';
import { customerListItem, parkedEventsOfStream, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { ExportCustomerQuery, type CustomerExport } from './export-customer.query';

/** The export as stored (personal fields still sealed: the answer is opened on its way out); null for an unknown customer. */
@QueryHandler(ExportCustomerQuery)
export class ExportCustomerHandler implements IQueryHandler<ExportCustomerQuery, CustomerExport | null> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly personal: PersonalData,
  ) {}

  async execute({ customerId }: ExportCustomerQuery): Promise<CustomerExport | null> {
    const streamId = customerStreamId(customerId);
    const stored = await this.store.readStream(streamId);
    if (stored.length === 0) return null;
    const facts: RecordedJourneyEvent[] = [];
    for (const event of stored) {
      const checked = asJourneyEvent(event);
      if (checked.ok) facts.push(checked.event);
    }
    return {
      customerId,
      exportedAt: new Date().toISOString(),
      dataKey: await this.personal.status(customerId),
      events: stored.map((e) => ({
        position: e.position,
        revision: e.revision,
        eventId: e.eventId,
        type: wireTypeOf(e.type),
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
        data: e.data,
      })),
      journey: buildJourney(customerId, facts, new Date()),
      listEntry: await customerListItem(this.db.reader, customerId),
      parkedEvents: await parkedEventsOfStream(this.db.reader, streamId),
    };
  }
}
