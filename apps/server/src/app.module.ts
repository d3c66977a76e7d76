import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PlatformModule, type JourneylineConfig, type Log } from '@journeyline/platform';
import { ChurnRisksModule } from './churn-risks/churn-risks.module';
import { CustomersModule } from './customers/customers.module';
import { DashboardModule } from './dashboard/dashboard.module';
import { EventsModule } from './events/events.module';
import { FunnelModule } from './funnel/funnel.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { RetentionModule } from './retention/retention.module';
import { TouchpointsModule } from './touchpoints/touchpoints.module';

/**
 * The server: the platform (configuration, stores, followers; global) and one module per feature,
 * each listing its use cases' controllers and handlers. The dashboard's catch-all comes last.
 */
@Module({})
export class AppModule {
  static forRoot(config: JourneylineConfig, log: Log): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        PlatformModule.forRoot(config, { log, runFollowers: true }),
        EventsModule,
        CustomersModule,
        MetricsModule,
        TouchpointsModule,
        FunnelModule,
        RetentionModule,
        ChurnRisksModule,
        HealthModule,
        DashboardModule,
      ],
    };
  }
}
