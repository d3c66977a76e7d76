import { Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { createMetricsRegistry, JourneylineMetrics } from '@journeyline/kafka';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG } from '../../server/src/config/journeyline-config';
import { churnRulesProvider } from '../../server/src/projections/churn-rules.provider';
import { eventStoreProvider } from '../../server/src/store/event-store.provider';
import { readModelProvider } from '../../server/src/store/read-model.provider';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker-config';
import type { JsonLogger } from './logging/json-logger';
import { WORKER_LOGGER, WorkerRuntime } from './runtime/worker-runtime';

/**
 * The worker's wiring. The store, read models and churn rules come from the server's own
 * providers, so both processes open them from the same environment variables in the same way.
 */
@Module({})
export class WorkerModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
  ) {}

  static forRoot(config: WorkerConfig, logger: JsonLogger): DynamicModule {
    return {
      module: WorkerModule,
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: JOURNEYLINE_CONFIG, useValue: config.journeyline },
        { provide: WORKER_LOGGER, useValue: logger },
        { provide: JourneylineMetrics, useFactory: () => new JourneylineMetrics(createMetricsRegistry({ labels: { app: 'journeyline-worker' } })) },
        eventStoreProvider,
        readModelProvider,
        churnRulesProvider,
        WorkerRuntime,
      ],
    };
  }

  /** Runs after WorkerRuntime stopped (beforeApplicationShutdown): nothing writes any more. */
  async onApplicationShutdown(): Promise<void> {
    await this.readModels.close();
    await this.store.close();
  }
}
