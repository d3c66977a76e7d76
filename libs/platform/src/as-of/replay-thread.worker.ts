import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@journeyline/event-store';
import { customerReadModels, metricReadModels, REBUILD_LOG_CACHE_MIB, runReplayStep, type ReplayedReadModels } from '@journeyline/projections';
import { personalData } from '../access/access-services';
import { configuredStore, openEventStore } from '../stores/store-location';
import type { ReplayThreadData, ReplayThreadMessage, ReplayThreadRequest } from './replay-thread';

/**
 * The replay thread (replay-thread.ts): opens the configured log (and the key vault, for the
 * per-customer set's customer search) once, then runs the steps it is sent one after another.
 */
function run({ config, set }: ReplayThreadData, port: NonNullable<typeof parentPort>): void {
  const post = (message: ReplayThreadMessage) => port.postMessage(message);
  const opened = (async () => {
    const store = await openEventStore(configuredStore(config));
    // a replay reads the log front to back (a snapshot's tail), as a rebuild does: a small page cache
    if (store instanceof SqliteEventStore) store.usePageCache(REBUILD_LOG_CACHE_MIB);
    const readModels: ReplayedReadModels =
      set === 'customers' ? customerReadModels(config.timeZone, await personalData(config)) : metricReadModels(config.timeZone);
    return { store, readModels };
  })();
  // the prefix a step is reading (a builder's step), so a stop ends it at its next read
  let running: { stop(): void } | null = null;
  let steps: Promise<unknown> = Promise.resolve();
  port.on('message', (request: ReplayThreadRequest) => {
    if ('stop' in request) return running?.stop();
    steps = steps.then(async () => {
      try {
        const { store, readModels } = await opened;
        post({ id: request.id, done: await runReplayStep(store, readModels, request.step, (prefix) => (running = prefix)) });
      } catch (error) {
        post({ id: request.id, failed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
    });
  });
}

if (parentPort) run(workerData as ReplayThreadData, parentPort);
