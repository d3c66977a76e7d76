import * as fs from 'node:fs';
import * as path from 'node:path';
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { POSTGRES_EVENT_STORE_SCHEMA } from '../../../server/src/store/event-store.provider';

/** An event store named by one URL, as `journeyline copy --from/--to` takes them. */
export type StoreUrl =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; connectionString: string; schema: string }
  | { kind: 'kurrentdb'; connectionString: string };

export const STORE_URL_FORMS =
  'sqlite:./data/journeyline.db, postgres://user@host:5432/db[?schema=journeyline], esdb://host:2113?tls=false or kurrentdb://host:2113?tls=false';

/**
 * `sqlite:<file>` (also `sqlite://<file>`, so `sqlite:///abs/file.db` is absolute); `postgres://` or
 * `postgresql://` (the event log's schema from `?schema=`, default the server's); `esdb://`,
 * `esdb+discover://`, `kurrentdb://`, `kurrentdb+discover://` or `kdb://` for KurrentDB.
 */
export function parseStoreUrl(url: string): StoreUrl {
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
export function storeKey(store: StoreUrl): string {
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

/** @param mustExist for a source: a sqlite file that is not there is a typo, not an empty store */
export async function openStoreUrl(store: StoreUrl, mustExist = false): Promise<EventStore> {
  switch (store.kind) {
    case 'sqlite':
      if (mustExist && !fs.existsSync(store.file)) throw new Error(`${store.file} does not exist`);
      return SqliteEventStore.open(store.file);
    case 'postgres':
      return PostgresEventStore.open({ connectionString: store.connectionString, schema: store.schema, maxConnections: 4 });
    case 'kurrentdb':
      return KurrentDbEventStore.open(store.connectionString);
  }
}
