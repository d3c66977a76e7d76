import { Module } from '@nestjs/common';
import { DashboardStaticController } from './dashboard-static.controller';
import { DemoSeeder } from './demo-seeder';
import { TouchpointCommentsController } from './touchpoint-comments.controller';
import { TouchpointStagesController } from './touchpoint-stages.controller';

/**
 * The dashboard: its built page at `/` (with the SPA fallback), the two reads only it needs
 * (touchpoint × stage, touchpoint comments) and the demo seeder. The catch-all static controller
 * goes last so that it reads as what it is: whatever nothing else answered.
 */
@Module({
  controllers: [TouchpointStagesController, TouchpointCommentsController, DashboardStaticController],
  providers: [DemoSeeder],
})
export class DashboardModule {}
