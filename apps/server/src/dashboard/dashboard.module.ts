import { Module } from '@nestjs/common';
import { DashboardStaticController } from './dashboard-static.controller';
import { DemoSeeder } from './demo-seeder';

/**
 * The dashboard: its built page at `/` (with the SPA fallback) and the demo seeder. The
 * catch-all static controller answers whatever no API route did.
 */
@Module({
  controllers: [DashboardStaticController],
  providers: [DemoSeeder],
})
export class DashboardModule {}
