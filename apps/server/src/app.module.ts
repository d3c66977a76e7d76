import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { ChurnRisksController, ListChurnRisksHandler } from './churn-risks/churn-risks.controller';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from './config/journeyline-config';
import { DashboardModule } from './dashboard/dashboard.module';
import { CustomerEventsHandler } from './customers/customer-events.handler';
import { CustomerJourneyHandler } from './customers/customer-journey.handler';
import { CustomersController } from './customers/customers.controller';
import { ListCustomersHandler } from './customers/list-customers.handler';
import { EventsController } from './events/events.controller';
import { RecordEventsHandler } from './events/record-events.handler';
import { FunnelController, GetFunnelHandler } from './funnel/funnel.controller';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { GetMetricSeriesHandler, GetMetricsHandler, GetScoreDistributionHandler, GetWorstHandler, MetricAnswers } from './metrics/metrics.handlers';
import { churnRulesProvider } from './projections/churn-rules.provider';
import { ProjectionHost, WakeProjectionsOnAppend } from './projections/projection-host';
import { GetCohortsHandler, GetRetentionHandler, RetentionController } from './retention/retention.controller';
import { eventStoreProvider } from './store/event-store.provider';
import { readModelProvider } from './store/read-model.provider';

@Module({})
export class AppModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
  ) {}

  static forRoot(config: JourneylineConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), DashboardModule],
      controllers: [EventsController, CustomersController, MetricsController, FunnelController, RetentionController, ChurnRisksController, HealthController],
      providers: [
        { provide: JOURNEYLINE_CONFIG, useValue: config },
        eventStoreProvider,
        readModelProvider,
        churnRulesProvider,
        ProjectionHost,
        WakeProjectionsOnAppend,
        RecordEventsHandler,
        CustomerEventsHandler,
        CustomerJourneyHandler,
        ListCustomersHandler,
        MetricAnswers,
        GetMetricsHandler,
        GetWorstHandler,
        GetMetricSeriesHandler,
        GetScoreDistributionHandler,
        GetFunnelHandler,
        GetRetentionHandler,
        GetCohortsHandler,
        ListChurnRisksHandler,
      ],
    };
  }

  /** After the projector has stopped (ProjectionHost.beforeApplicationShutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.readModels.close();
    await this.store.close();
  }
}
