import * as os from 'node:os';
import { AuditTrail, type ApiKeyRegistry, type Actor } from '@journeyline/access';
import type { EventStore } from '@journeyline/event-store';
import type { PersonalData } from '@journeyline/privacy';
import { ChurnRulesRegistry, type ReadModelDatabase } from '@journeyline/projections';
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
  /** The churn-risk rules in force (versioned: the configured ones are recorded when they changed). */
  churnRules(): ChurnRulesRegistry;
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
    churnRules: () => new ChurnRulesRegistry(store, loadChurnRules(config.churnRulesFile)),
    async close() {
      await readModels.close();
      await personal.vault.close();
      await store.close();
    },
  };
}

/** The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

export interface Interruption {
  readonly stopped: boolean;
  /** Sets the exit status of an interrupted command (non-zero), after its own message. */
  settle(): void;
  /** Stops listening for Ctrl-C (a command run in-process, as the tests do, leaves no listener behind). */
  release(): void;
}

/**
 * Stops a long operation cleanly on Ctrl-C (or SIGTERM): the work commits what it has and can be
 * resumed; a second Ctrl-C quits at once. A command that stopped this way exits with 130, never 0,
 * so a script never takes an interrupted import, export, rebuild, seed or copy for a finished one.
 */
export function interruptible(): Interruption {
  let stopped = false;
  const onSignal = () => {
    if (stopped) process.exit(INTERRUPTED_EXIT_CODE);
    stopped = true;
    process.stderr.write('\njourneyline: stopping after the current batch (Ctrl-C again to quit at once)…\n');
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    get stopped() {
      return stopped;
    },
    settle() {
      if (stopped) process.exitCode = INTERRUPTED_EXIT_CODE;
    },
    release() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
