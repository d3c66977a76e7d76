import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { TargetBook } from '@journeyline/platform';
import { ListTargetsController } from './list-targets/list-targets.controller';
import { ListTargetsHandler } from './list-targets/list-targets.handler';
import { RemoveTargetController } from './remove-target/remove-target.controller';
import { RemoveTargetHandler } from './remove-target/remove-target.handler';
import { SetTargetController } from './set-target/set-target.controller';
import { SetTargetHandler } from './set-target/set-target.handler';

export const QueryHandlers = [ListTargetsHandler];
export const CommandHandlers = [SetTargetHandler, RemoveTargetHandler];

/** Targets per touchpoint, owner team or the whole company, as events in `journeyline-targets` (admin sets, anyone reading lists). */
@Module({
  controllers: [SetTargetController, ListTargetsController, RemoveTargetController],
  providers: [{ provide: TargetBook, inject: [EVENT_STORE], useFactory: (store: EventStore) => new TargetBook(store) }, ...QueryHandlers, ...CommandHandlers],
})
export class TargetsModule {}
