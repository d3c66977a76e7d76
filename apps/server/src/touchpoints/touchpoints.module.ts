import { Module } from '@nestjs/common';
import { GetTouchpointCommentsController } from './get-touchpoint-comments/get-touchpoint-comments.controller';
import { GetTouchpointCommentsHandler } from './get-touchpoint-comments/get-touchpoint-comments.handler';
import { GetTouchpointStagesController } from './get-touchpoint-stages/get-touchpoint-stages.controller';
import { GetTouchpointStagesHandler } from './get-touchpoint-stages/get-touchpoint-stages.handler';

export const QueryHandlers = [GetTouchpointStagesHandler, GetTouchpointCommentsHandler];

/** Touchpoints: the touchpoint × stage heatmap and the latest comments at a touchpoint. */
@Module({
  controllers: [GetTouchpointStagesController, GetTouchpointCommentsController],
  providers: [...QueryHandlers],
})
export class TouchpointsModule {}
