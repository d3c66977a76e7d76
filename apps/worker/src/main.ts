import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { errorFields } from '@journeyline/kafka';
import { ConfigError } from '../../server/src/config/journeyline-config';
import { loadWorkerConfig, type WorkerConfig } from './config/worker-config';
import { JsonLogger } from './logging/json-logger';
import { WorkerRuntime } from './runtime/worker-runtime';
import { WorkerModule } from './worker.module';

/**
 * `npm run worker`: the scale-out worker (Kafka → store → read models, outbound topics). Run as
 * many as there are partitions to share; they form one consumer group. SIGTERM / SIGINT stop it
 * gracefully (the batch in hand commits, the consumer leaves the group); a second signal quits
 * at once.
 */
async function main(): Promise<void> {
  const log = new JsonLogger({ app: 'journeyline-worker', pid: process.pid });
  let config: WorkerConfig;
  try {
    config = loadWorkerConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error('cannot start: invalid configuration', { variable: error.variable, error: error.message });
      process.exit(2);
    }
    throw error;
  }

  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config, log), { logger: log, abortOnError: false });
  const runtime = app.get(WorkerRuntime);
  let stopping: Promise<void> | null = null;
  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) return stopping;
    log.info('shutting down', { reason });
    stopping = app.close().then(
      () => process.exit(process.exitCode ?? exitCode),
      (error) => {
        log.error('shutdown failed', errorFields(error));
        process.exit(1);
      },
    );
    return stopping;
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (stopping) {
        log.warn('second signal: exiting at once', { signal });
        process.exit(1);
      }
      void shutdown(signal, 0);
    });
  }
  process.on('unhandledRejection', (error) => {
    log.error('unhandled rejection', errorFields(error));
    process.exitCode = 1;
    void shutdown('unhandledRejection', 1);
  });

  try {
    await runtime.start();
  } catch (error) {
    log.error('cannot start', errorFields(error));
    process.exitCode = 1;
    await shutdown('start failed', 1);
  }
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', app: 'journeyline-worker', msg: 'failed to start', ...errorFields(error) })}\n`);
  process.exit(1);
});
