import type { EventStore } from '@journeyline/event-store';
import type { ReadModelDatabase } from '@journeyline/projections';
import { ConfigError, loadConfig, type JourneylineConfig } from '../../server/src/config/journeyline-config';
import { openEventStore } from '../../server/src/store/event-store.provider';
import { openReadModels } from '../../server/src/store/read-model.provider';

/** The configured stores, opened the same way the server opens them (same environment variables). */
export interface CliStores {
  config: JourneylineConfig;
  store: EventStore;
  readModels: ReadModelDatabase;
  close(): Promise<void>;
}

export async function openStores(overrides: Record<string, string | undefined> = {}): Promise<CliStores> {
  let config: JourneylineConfig;
  try {
    config = loadConfig({ ...process.env, ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) });
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`configuration: ${error.message}`);
    throw error;
  }
  const store = await openEventStore(config);
  const readModels = await openReadModels(config);
  return {
    config,
    store,
    readModels,
    async close() {
      await readModels.close();
      await store.close();
    },
  };
}

/** Stops a long operation cleanly on Ctrl-C: the work commits what it has and can be resumed. */
export function interruptible(): { readonly stopped: boolean } {
  const state = { stopped: false };
  const onSignal = () => {
    if (state.stopped) process.exit(130);
    state.stopped = true;
    process.stderr.write('\njourneyline: stopping after the current batch (Ctrl-C again to quit at once)…\n');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return state;
}
