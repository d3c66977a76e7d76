import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { TouchpointRegistry } from '@journeyline/projections';
import { GetTouchpointHistoryController } from './get-touchpoint-history/get-touchpoint-history.controller';
import { GetTouchpointHistoryHandler } from './get-touchpoint-history/get-touchpoint-history.handler';
import { ListTouchpointsController } from './list-touchpoints/list-touchpoints.controller';
import { ListTouchpointsHandler } from './list-touchpoints/list-touchpoints.handler';
import { RegisterTouchpointController } from './register-touchpoint/register-touchpoint.controller';
import { RegisterTouchpointHandler } from './register-touchpoint/register-touchpoint.handler';
import { GetTouchpointCommentsController } from './get-touchpoint-comments/get-touchpoint-comments.controller';
import { GetTouchpointCommentsHandler } from './get-touchpoint-comments/get-touchpoint-comments.handler';
import { GetTouchpointStagesController } from './get-touchpoint-stages/get-touchpoint-stages.controller';
import { GetTouchpointStagesHandler } from './get-touchpoint-stages/get-touchpoint-stages.handler';
import { GetAttentionController } from './get-attention/get-attention.controller';
import { GetAttentionHandler } from './get-attention/get-attention.handler';

export const QueryHandlers = [
  GetTouchpointStagesHandler,
  GetTouchpointCommentsHandler,
  ListTouchpointsHandler,
  GetTouchpointHistoryHandler,
  GetAttentionHandler,
];
export const CommandHandlers = [RegisterTouchpointHandler];

/** Touchpoints: the touchpoint × stage heatmap, the latest comments at a touchpoint, and the touchpoint catalog (register, list, history). */
@Module({
  controllers: [
    GetTouchpointStagesController,
    GetTouchpointCommentsController,
    ListTouchpointsController,
    GetTouchpointHistoryController,
    RegisterTouchpointController,
    GetAttentionController,
  ],
  providers: [
    ...QueryHandlers,
    ...CommandHandlers,
    // the catalog's write side; it caches its stream, so one per process
    { provide: TouchpointRegistry, inject: [EVENT_STORE], useFactory: (store: EventStore) => new TouchpointRegistry(store) },
  ],
})
export class TouchpointsModule {}
