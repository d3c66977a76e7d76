import * as fs from 'node:fs';
import * as path from 'node:path';
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { PostgresKeyVault, SqliteKeyVault, type KeyVault } from '@journeyline/privacy';
import { PostgresReadModelDatabase, SqliteReadModelDatabase, type ReadModelDatabase } from '@journeyline/projections';
import type { JourneylineConfig } from '../config/journeyline-config';

/**
 * Where an event log lives. Every way of naming a store (the JOURNEYLINE_STORE variables, a
 * `journeyline copy --from/--to` URL) becomes one of these, and `openEventStore` is the one
 * place that turns a kind into an adapter. A new store kind is a new case here and an adapter
 * in libs/event-store, nothing else.
 */
export type StoreLocation =
  { kind: 'sqlite'; file: string } | { kind: 'postgres'; connectionString: string; schema: string } | { kind: 'kurrentdb'; connectionString: string };

/** Schema of the event log when it is in PostgreSQL (the read models have their own). */
export const POSTGRES_EVENT_STORE_SCHEMA = 'journeyline';
/** Schema of the read models in PostgreSQL: apart from the log, so it can be dropped and rebuilt. */
export const POSTGRES_READ_MODEL_SCHEMA = 'journeyline_read';

export const STORE_URL_FORMS =
  'sqlite:./data/journeyline.db, postgres://user@host:5432/db[?schema=journeyline], esdb://host:2113?tls=false or kurrentdb://host:2113?tls=false';

/** The configured event log. */
export function configuredStore(config: JourneylineConfig): StoreLocation {
  switch (config.store) {
    case 'sqlite':
      return { kind: 'sqlite', file: path.join(config.dataDir, 'journeyline.db') };
    case 'postgres':
      return { kind: 'postgres', connectionString: requiredUrl(config), schema: POSTGRES_EVENT_STORE_SCHEMA };
    case 'kurrentdb':
      return { kind: 'kurrentdb', connectionString: requiredUrl(config) };
  }
}

/**
 * `sqlite:<file>` (also `sqlite://<file>`, so `sqlite:///abs/file.db` is absolute); `postgres://` or
 * `postgresql://` (the event log's schema from `?schema=`, default the server's); `esdb://`,
 * `esdb+discover://`, `kurrentdb://`, `kurrentdb+discover://` or `kdb://` for KurrentDB.
 */
export function parseStoreUrl(url: string): StoreLocation {
  const trimmed = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1].toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      const file = trimmed.slice('sqlite:'.length).replace(/^\/\//, '');
      if (file === '' || file === ':memory:') throw new Error(`${url}: a sqlite store URL names a file, e.g. sqlite:./data/journeyline.db`);
      return { kind: 'sqlite', file: path.resolve(file) };
    }
    case 'postgres':
    case 'postgresql': {
      const parsed = new URL(trimmed);
      const schema = parsed.searchParams.get('schema') ?? POSTGRES_EVENT_STORE_SCHEMA;
      parsed.searchParams.delete('schema');
      return { kind: 'postgres', connectionString: parsed.toString(), schema };
    }
    case 'esdb':
    case 'esdb+discover':
    case 'kurrentdb':
    case 'kurrentdb+discover':
    case 'kdb':
    case 'kdb+discover':
      return { kind: 'kurrentdb', connectionString: trimmed };
    default:
      throw new Error(`${url} is not a store URL; use one of ${STORE_URL_FORMS}`);
  }
}

/** The same store, whatever way its URL was written (for checkpoints and "same store?" checks). */
export function storeKey(store: StoreLocation): string {
  switch (store.kind) {
    case 'sqlite':
      return `sqlite:${store.file}`;
    case 'postgres': {
      const url = new URL(store.connectionString);
      return `postgres://${url.host}${url.pathname}#${store.schema}`;
    }
    case 'kurrentdb':
      return store.connectionString.replace(/^(kurrentdb|kdb)/i, 'esdb').replace(/[?#].*$/, '');
  }
}

export interface OpenOptions {
  /** For a source to read from: a sqlite file that is not there is a typo, not an empty store. */
  mustExist?: boolean;
  /** Pool size of a PostgreSQL store (default: the adapter's). */
  maxConnections?: number;
}

/** Opens the event log at `location`: the one switch from a store kind to its adapter. */
export async function openEventStore(location: StoreLocation, options: OpenOptions = {}): Promise<EventStore> {
  switch (location.kind) {
    case 'sqlite':
      if (options.mustExist && !fs.existsSync(location.file)) throw new Error(`${location.file} does not exist`);
      fs.mkdirSync(path.dirname(location.file), { recursive: true });
      return SqliteEventStore.open(location.file);
    case 'postgres':
      return PostgresEventStore.open({ connectionString: location.connectionString, schema: location.schema, maxConnections: options.maxConnections });
    case 'kurrentdb':
      return KurrentDbEventStore.open(location.connectionString);
  }
}

/**
 * Where the customers' data keys live: beside the log, in the same database (the SQLite file, the
 * log's PostgreSQL schema), so that a copy or a backup of the store takes them along. KurrentDB
 * holds events only: its keys go to JOURNEYLINE_KEY_VAULT_URL (PostgreSQL), or else a SQLite file
 * in the data directory (one server process).
 */
export function openKeyVault(config: JourneylineConfig, location: StoreLocation = configuredStore(config)): Promise<KeyVault> {
  switch (location.kind) {
    case 'sqlite':
      fs.mkdirSync(path.dirname(location.file), { recursive: true });
      return Promise.resolve(SqliteKeyVault.open(location.file));
    case 'postgres':
      return PostgresKeyVault.open({ connectionString: location.connectionString, schema: location.schema });
    case 'kurrentdb':
      if (config.privacy.keyVaultUrl) return PostgresKeyVault.open({ connectionString: config.privacy.keyVaultUrl, schema: POSTGRES_EVENT_STORE_SCHEMA });
      fs.mkdirSync(config.dataDir, { recursive: true });
      return Promise.resolve(SqliteKeyVault.open(path.join(config.dataDir, 'keys.db')));
  }
}

/**
 * Where the read models live: in PostgreSQL when JOURNEYLINE_READ_MODEL_URL says so or the log is
 * there; otherwise in their own SQLite file beside the data directory (KurrentDB holds the log
 * only, so without the URL its read models stay local, which suits one server process).
 */
export function openReadModels(config: JourneylineConfig): Promise<ReadModelDatabase> {
  const postgres = config.readModelUrl ?? (config.store === 'postgres' ? requiredUrl(config) : null);
  if (postgres) return PostgresReadModelDatabase.open({ connectionString: postgres, schema: POSTGRES_READ_MODEL_SCHEMA });
  return Promise.resolve(SqliteReadModelDatabase.open(path.join(config.dataDir, 'read-models.db')));
}

function requiredUrl(config: JourneylineConfig): string {
  // loadConfig already refuses a missing URL for these kinds; this keeps the type honest.
  if (!config.storeUrl) throw new Error(`JOURNEYLINE_STORE_URL is required when JOURNEYLINE_STORE=${config.store}`);
  return config.storeUrl;
}
