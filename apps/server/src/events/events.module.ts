import { Module } from '@nestjs/common';
import { RecordEventsController } from './record-events/record-events.controller';
import { RecordEventsHandler } from './record-events/record-events.handler';
import { WakeFollowersOnAppend } from './wake-followers-on-append.handler';

export const CommandHandlers = [RecordEventsHandler];
export const EventHandlers = [WakeFollowersOnAppend];

/** Recording events: the write side's HTTP entry point. */
@Module({
  controllers: [RecordEventsController],
  providers: [...CommandHandlers, ...EventHandlers],
})
export class EventsModule {}
