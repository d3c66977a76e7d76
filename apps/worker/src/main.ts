import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { errorFields } from '@journeyline/kafka';
import { ConfigError, createLog, limitHeapGrowth, nestLogger, startupFailureLine } from '@journeyline/platform';
import { loadWorkerConfig, type WorkerConfig } from './config/worker-config';
import { WorkerRuntime } from './runtime/worker-runtime';
import { WorkerModule } from './worker.module';

/**
 * `npm run worker`: the scale-out worker (Kafka → store → read models, outbound topics). Run as
 * many as there are partitions to share; they form one consumer group. SIGTERM / SIGINT stop it
 * gracefully (the batch in hand commits, the consumer leaves the group); a second signal quits
 * at once.
 */
async function main(): Promise<void> {
  limitHeapGrowth();
  let config: WorkerConfig;
  try {
    config = loadWorkerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`journeyline-worker: cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const log = createLog({ app: 'journeyline-worker', format: config.journeyline.logFormat });

  let app: Awaited<ReturnType<typeof NestFactory.createApplicationContext>>;
  try {
    app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, log), { logger: nestLogger(log), abortOnError: false });
  } catch (error) {
    console.error(startupFailureLine(error, config.journeyline).replace(/^journeyline:/, 'journeyline-worker:'));
    process.exit(1);
  }
  const runtime = app.get(WorkerRuntime);
  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) return stopping;
    log.info({ reason }, 'shutting down');
    stopping = app.close().then(
      () => process.exit(process.exitCode ?? exitCode),
      (error) => {
        log.error(errorFields(error), 'shutdown failed');
        process.exit(1);
      },
    );
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn({ signal }, 'second signal: exiting at once');
        process.exit(1);
      }
      void shutdown(signal, 0);
    });
  }
  process.on('unhandledRejection', (error) => {
    log.error(errorFields(error), 'unhandled rejection');
    process.exitCode = 1;
    void shutdown('unhandledRejection', 1);
  });

  try {
    await runtime.start();
  } catch (error) {
    log.error(errorFields(error), 'cannot start');
    process.exitCode = 1;
    await shutdown('start failed', 1);
  }
}

main().catch((error) => {
  console.error(startupFailureLine(error, null).replace(/^journeyline:/, 'journeyline-worker:'));
  process.exit(1);
});
