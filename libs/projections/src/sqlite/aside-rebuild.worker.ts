import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '@journeyline/event-store';
import { journeylineProjections } from '../journeyline-projections';
import { Projector } from '../runtime/projector';
import { SqliteReadModelDatabase } from './sqlite-read-model-database';
import { REBUILD_LOG_CACHE_MIB, type AsideRebuildRequest, type AsideRebuildMessage } from './parallel-rebuild';

/**
 * The worker thread of a parallel rebuild: rebuilds the named projections from the event log into
 * a side file of its own. Stops after its current transaction on a 'stop' message; what it has
 * committed (tables and checkpoints) stays in the side file either way.
 */
async function run(request: AsideRebuildRequest, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: AsideRebuildMessage) => port.postMessage(message);
  const store = SqliteEventStore.open(request.eventsFile);
  store.usePageCache(REBUILD_LOG_CACHE_MIB);
  const readModels = SqliteReadModelDatabase.open(request.sideFile);
  try {
    const projections = journeylineProjections(store, request.timeZone).filter((p) => request.names.includes(p.name));
    const projector = new Projector(store, readModels, projections);
    port.on('message', (message) => {
      if (message === 'stop') void projector.stop();
    });
    const events = await projector.rebuild(undefined, { batchSize: request.batchSize, onProgress: (progress) => post({ progress }) });
    await readModels.close();
    await store.close();
    post({ done: events });
  } catch (error) {
    await readModels.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    post({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

if (parentPort) void run(workerData as AsideRebuildRequest, parentPort);
