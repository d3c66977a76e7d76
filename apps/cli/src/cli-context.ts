import * as os from 'node:os';
import { AuditTrail, type ApiKeyRegistry, type Actor } from '@journeyline/access';
import type { EventStore } from '@journeyline/event-store';
import type { PersonalData } from '@journeyline/privacy';
import type { ReadModelDatabase } from '@journeyline/projections';
import {
  ConfigError,
  configuredStore,
  createLog,
  loadChurnRules,
  loadConfig,
  openEventStore,
  openReadModels,
  apiKeyRegistry,
  personalData,
  type JourneylineConfig,
  type Log,
} from '@journeyline/platform';
import type { ChurnRule } from '@journeyline/journey';

/** The configured stores, opened the same way the server opens them (same environment variables). */
export interface CliStores {
  config: JourneylineConfig;
  store: EventStore;
  readModels: ReadModelDatabase;
  /** Personal data: seals what the CLI records (import, seed), opens what it shows. */
  personal: PersonalData;
  keys: ApiKeyRegistry;
  audit: AuditTrail;
  /** Who the audit trail names for what this command does: the person at the terminal. */
  actor: Actor;
  /** The structured log (stderr: stdout is for people and progress bars). */
  log: Log;
  churnRules(): readonly ChurnRule[];
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
  const store = await openEventStore(configuredStore(config));
  const readModels = await openReadModels(config);
  const personal = await personalData(config);
  return {
    config,
    store,
    readModels,
    personal,
    keys: apiKeyRegistry(store, config),
    audit: new AuditTrail(store),
    actor: { keyId: null, name: `cli (${safeUserName()}@${os.hostname()})` },
    log: createLog({ app: 'journeyline-cli', format: config.logFormat, destination: process.stderr }),
    churnRules: () => loadChurnRules(config.churnRulesFile),
    async close() {
      await readModels.close();
      await personal.vault.close();
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

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
