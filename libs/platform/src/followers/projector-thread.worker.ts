import { parentPort, workerData } from 'node:worker_threads';
import { journeylineProjections, Projector, SqliteReadModelDatabase } from '@journeyline/projections';
import { personalData } from '../access/access-services';
import { configuredStore, openEventStore, openReadModels } from '../stores/store-location';
import type { ProjectorThreadData, ProjectorThreadMessage, ProjectorThreadRequest } from './projector-thread';

/**
 * The projector's thread (projector-thread.ts): opens the configured log, key vault and read
 * models as the server does, shares the read models' write lock with the main thread, and runs
 * the calls it is sent one after another ('wake' at once: it only asks for a pass).
 */
async function run({ config, writeLock }: ProjectorThreadData, port: NonNullable<typeof parentPort>): Promise<void> {
  const post = (message: ProjectorThreadMessage) => port.postMessage(message);
  const store = await openEventStore(configuredStore(config));
  const readModels = await openReadModels(config);
  if (!(readModels instanceof SqliteReadModelDatabase)) throw new Error('the projector thread runs on SQLite read models only');
  readModels.shareWriteLock(writeLock);
  const personal = await personalData(config);
  const projector = new Projector(store, readModels, journeylineProjections(store, config.timeZone, personal), {
    onError: (error) => post({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    onParked: (parked) => post({ parked }),
  });
  // /health reads lastFailure: say when it changes (a pass that fails, one that succeeds after)
  let said: string | null = null;
  const sayFailure = () => {
    const failure = projector.lastFailure;
    const now = failure ? `${failure.error}@${failure.since.toISOString()}` : null;
    if (now === said) return;
    said = now;
    post({ failure: failure && { error: failure.error, since: failure.since } });
  };
  const watch = setInterval(sayFailure, 250);
  let calls: Promise<unknown> = Promise.resolve();
  port.on('message', (request: ProjectorThreadRequest) => {
    if (request.call === 'wake') return projector.wake();
    const { id, call } = request;
    calls = calls.then(async () => {
      try {
        let done: unknown;
        if (call === 'init') done = await projector.init();
        else if (call === 'start') done = await projector.start((progress) => post({ id, progress }));
        else if (call === 'catchUp') done = await projector.catchUp();
        else {
          clearInterval(watch);
          await projector.stop();
          await readModels.close();
          await personal.vault.close();
          await store.close();
        }
        sayFailure();
        post({ id, done });
      } catch (error) {
        sayFailure();
        post({ id, failed: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      }
    });
  });
}

if (parentPort) {
  const port = parentPort;
  run(workerData as ProjectorThreadData, port).catch((error: unknown) => {
    // the stores would not open: every call fails with why (the main thread retries its start with backoff)
    const why = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    port.on('message', (request: ProjectorThreadRequest) => {
      if (request.call !== 'wake') port.postMessage({ id: request.id, failed: why } satisfies ProjectorThreadMessage);
    });
  });
}
