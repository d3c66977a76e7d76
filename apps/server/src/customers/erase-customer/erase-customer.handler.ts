import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { AUDIT_STREAM, auditEvent } from '@journeyline/access';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore } from '@journeyline/event-store';
import { asJourneyEvent, customerStreamId, decideErasure, evolve, initialState } from '@journeyline/journey';
import { PersonalData } from '@journeyline/privacy';
import { EventsAppended } from '../../events/events-appended.event';
import { EraseCustomerCommand, type ErasureAnswer } from './erase-customer.command';

/**
 * Erasure on an append-only log: the customer's data key is destroyed first (from then on every
 * personal value sealed with it, in the log, the read models, copies and backups, reads as
 * erased), then CustomerErased is appended to their stream with the audit entry, so projections
 * mark them erased and a rebuild does the same. Counts and metrics are untouched. Null for a
 * customer the log does not know.
 */
@CommandHandler(EraseCustomerCommand)
export class EraseCustomerHandler implements ICommandHandler<EraseCustomerCommand, ErasureAnswer | null> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly personal: PersonalData,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ customerId, actor }: EraseCustomerCommand): Promise<ErasureAnswer | null> {
    const streamId = customerStreamId(customerId);
    if ((await this.store.streamRevision(streamId)) < 0) return null;
    const outcome = await this.personal.erase(customerId);
    for (let attempt = 1; ; attempt++) {
      const stream = await this.store.readStream(streamId);
      let state = initialState();
      for (const stored of stream) {
        const checked = asJourneyEvent(stored);
        if (checked.ok) state = evolve(state, checked.event);
      }
      const events = decideErasure(customerId, state, new Date(outcome.erasedAt));
      const audit = auditEvent('customer.erased', actor, customerId, { erasedNow: events.length > 0, keyDestroyed: outcome.destroyed });
      try {
        const result = await this.store.append([
          ...(events.length > 0
            ? [{ streamId, expectedRevision: stream[stream.length - 1].revision, events: events.map((e) => ({ ...e, data: { ...e.data } })) }]
            : []),
          { streamId: AUDIT_STREAM, expectedRevision: 'any' as const, events: [audit] },
        ]);
        if (events.length > 0) this.eventBus.publish(new EventsAppended(Math.max(...result.events.map((e) => e.position)), result.events.length));
        return { customerId, erasedAt: outcome.erasedAt, erasedNow: events.length > 0, keyDestroyed: outcome.destroyed, filesScrubbed: outcome.filesScrubbed };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= 8) throw error;
      }
    }
  }
}
