import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { EventsAppended } from '../events/events-appended.event';
import { ServerTelemetry } from './server-telemetry';

/** Every append this server made (HTTP, Segment, import, surveys, the catalog...) counts toward the append rate. */
@EventsHandler(EventsAppended)
export class CountAppends implements IEventHandler<EventsAppended> {
  constructor(private readonly telemetry: ServerTelemetry) {}

  handle(event: EventsAppended): void {
    this.telemetry.eventsAppended.inc({ source: 'http' }, event.count);
  }
}
