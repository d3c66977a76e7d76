import { Module, type DynamicModule } from '@nestjs/common';
import { createTelemetryRegistry, Telemetry } from '@journeyline/kafka';
import { PlatformModule, type Log } from '@journeyline/platform';
import { WORKER_CONFIG, type WorkerConfig } from './config/worker-config';
import { WORKER_LOG, WorkerRuntime } from './runtime/worker-runtime';

/**
 * The worker's wiring: the platform (store, read models, churn rules, followers, from the same
 * variables as the server) and the runtime that orders Kafka and the followers. The runtime
 * starts the followers itself, after the topics exist and before the consumer joins.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: WorkerConfig, log: Log): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config.journeyline, { log, runFollowers: false })],
      providers: [
        { provide: WORKER_CONFIG, useValue: config },
        { provide: WORKER_LOG, useValue: log },
        { provide: Telemetry, useFactory: () => new Telemetry(createTelemetryRegistry({ labels: { app: 'journeyline-worker' } })) },
        WorkerRuntime,
      ],
    };
  }
}
