import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { PersonalData } from '@journeyline/privacy';
import { CustomerStateCache, recordCustomerEvents, type RecordedEvent } from '@journeyline/recording';
import { EventsAppended } from '../events-appended.event';
import { RecordEventsCommand } from './record-events.command';

@CommandHandler(RecordEventsCommand)
export class RecordEventsHandler implements ICommandHandler<RecordEventsCommand, RecordedEvent[]> {
  /** Customers who sent events lately are folded from their new events only. */
  private readonly states = new CustomerStateCache();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly eventBus: EventBus,
    private readonly personal: PersonalData,
  ) {}

  async execute({ commands }: RecordEventsCommand): Promise<RecordedEvent[]> {
    const recorded = await recordCustomerEvents(this.store, commands, { personal: this.personal, states: this.states });
    const fresh = recorded.filter((r) => !r.duplicate);
    if (fresh.length > 0) this.eventBus.publish(new EventsAppended(Math.max(...fresh.map((r) => r.position)), fresh.length));
    return recorded;
  }
}
