import * as fs from 'node:fs';
import { RECORDED_FACT_TYPES } from '@journeyline/journey';
import * as path from 'node:path';
import { PostgresEventStore, SqliteEventStore, type EventStore, type StoredEvent } from '@journeyline/event-store';
import type { JourneyMessage } from '@journeyline/kafka/testing/journey-messages';
import {
  journeylineProjections,
  PostgresReadModelDatabase,
  Projector,
  SqliteReadModelDatabase,
  type ReadModelDatabase,
  type SearchablePersonalData,
} from '@journeyline/projections';
import { dumpReadModels } from '@journeyline/projections/testing/projection-harness';
import { POSTGRES_EVENT_STORE_SCHEMA, POSTGRES_READ_MODEL_SCHEMA } from '@journeyline/platform';

/** Facts recorded from the outside world; the rest of the log is derived (stage changes, churn flags). */
const FACT_TYPES: ReadonlySet<string> = RECORDED_FACT_TYPES;
const NO_EVENT_ID = '<id from kafka coordinates>';

/** What the workers wrote (their log and read models), opened after they stopped, plus an empty database to rebuild into. */
export interface WorkerStores {
  store: EventStore;
  live: ReadModelDatabase;
  rebuilt: ReadModelDatabase;
  close(): Promise<void>;
}

export async function sqliteWorkerStores(dataDir: string): Promise<WorkerStores> {
  const store = SqliteEventStore.open(path.join(dataDir, 'journeyline.db'));
  const live = SqliteReadModelDatabase.open(path.join(dataDir, 'read-models.db'));
  const rebuiltFile = path.join(dataDir, 'rebuilt-read-models.db');
  fs.rmSync(rebuiltFile, { force: true });
  const rebuilt = SqliteReadModelDatabase.open(rebuiltFile);
  return { store, live, rebuilt, close: () => closeAll(store, live, rebuilt) };
}

/** The schemas the worker uses on PostgreSQL (the server's), and a third one to rebuild into. */
export async function postgresWorkerStores(url: string): Promise<WorkerStores> {
  const store = await PostgresEventStore.open({ connectionString: url, schema: POSTGRES_EVENT_STORE_SCHEMA });
  const live = await PostgresReadModelDatabase.open({ connectionString: url, schema: POSTGRES_READ_MODEL_SCHEMA });
  const rebuilt = await PostgresReadModelDatabase.open({ connectionString: url, schema: 'journeyline_rebuilt' });
  return { store, live, rebuilt, close: () => closeAll(store, live, rebuilt) };
}

async function closeAll(store: EventStore, ...databases: ReadModelDatabase[]): Promise<void> {
  for (const db of databases) await db.close();
  await store.close();
}

export function readLog(store: EventStore): Promise<StoredEvent[]> {
  return store.readAll({ after: 0, limit: 10_000_000 });
}

/**
 * The log holds every produced message exactly once, each customer's in the order produced.
 * A message sent without eventId is stored under its Kafka coordinates (`kafka <topic> <partition> <offset>`).
 */
export function expectEveryMessageStoredOnce(log: readonly StoredEvent[], messages: readonly JourneyMessage[], topic: string): void {
  const facts = log.filter((e) => FACT_TYPES.has(e.type));
  const ids = facts.map((e) => e.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  expect(facts).toHaveLength(messages.length);

  const expected = new Map<string, string[]>();
  for (const m of messages) {
    const sentId = (JSON.parse(m.value) as { eventId?: string }).eventId;
    expected.set(m.key, [...(expected.get(m.key) ?? []), sentId ?? NO_EVENT_ID]);
  }
  const actual = new Map<string, string[]>();
  for (const e of [...facts].sort((a, b) => a.position - b.position)) {
    const customerId = e.streamId.slice('customer-'.length);
    const id = e.eventId.startsWith(`kafka ${topic} `) ? NO_EVENT_ID : e.eventId;
    actual.set(customerId, [...(actual.get(customerId) ?? []), id]);
  }
  expect(actual.size).toBe(expected.size);
  const mismatched = [...expected].filter(([customer, order]) => JSON.stringify(actual.get(customer)) !== JSON.stringify(order));
  expect(mismatched.slice(0, 3).map(([customer, order]) => ({ customer, expected: order, stored: actual.get(customer) }))).toEqual([]);
}

/**
 * The workers' read models, byte for byte, against a clean rebuild of the same log into an empty
 * database. With `personal` (the process's key vault) the customer search's index is compared too.
 */
export async function expectReadModelsEqualRebuild(stores: WorkerStores, timeZone: string, personal?: SearchablePersonalData): Promise<void> {
  const liveProjector = new Projector(stores.store, stores.live, journeylineProjections(stores.store, timeZone, personal));
  const head = await stores.store.headPosition();
  expect((await liveProjector.progress()).map((p) => p.position)).toEqual(liveProjector.projections.map(() => head));
  const fresh = new Projector(stores.store, stores.rebuilt, journeylineProjections(stores.store, timeZone, personal));
  await fresh.rebuild();
  const liveDump = await dumpReadModels(stores.live, liveProjector.projections);
  const rebuiltDump = await dumpReadModels(stores.rebuilt, fresh.projections);
  expect(liveDump.length).toBeGreaterThan(1000);
  if (liveDump !== rebuiltDump) expect(differences(liveDump, rebuiltDump)).toEqual([]);
  expect(liveDump === rebuiltDump).toBe(true);
}

/** Per table: row counts and the first rows only one side has (a readable failure instead of two huge strings). */
function differences(live: string, rebuilt: string): unknown[] {
  const a = JSON.parse(live) as Record<string, string[]>;
  const b = JSON.parse(rebuilt) as Record<string, string[]>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].flatMap((table) => {
    const left = new Set(a[table] ?? []);
    const right = new Set(b[table] ?? []);
    const onlyLive = [...left].filter((row) => !right.has(row));
    const onlyRebuilt = [...right].filter((row) => !left.has(row));
    if (onlyLive.length === 0 && onlyRebuilt.length === 0) return [];
    return [{ table, liveRows: left.size, rebuiltRows: right.size, onlyLive: onlyLive.slice(0, 3), onlyRebuilt: onlyRebuilt.slice(0, 3) }];
  });
}
