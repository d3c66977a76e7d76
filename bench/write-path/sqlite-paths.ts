import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { migrateEventStoreSchema } from '@journeyline/event-store/sqlite/sqlite-event-store.schema';
import type { CustomerCommand } from '@journeyline/journey';
import { CustomerStateCache, recordCustomerEvents, type PersonalDataSealer } from '@journeyline/recording';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { appendRequests, factOf, type Fact } from './bench-events';

/** One timed pass of a path over all the events, in a store of its own. */
export interface PathRun {
  events: number;
  seconds: number;
  /**
   * CPU time of this process over the run (user + system, all its threads), for the paths that do
   * their work in it; null where the work is in another process (the server, PostgreSQL). Less
   * moved than wall time by other work on the shared machine.
   */
  cpuSeconds: number | null;
  /** Rows the store holds afterwards (checked: a path that stored less did not do the work). */
  storedRows: number;
  /** HTTP: seconds from the first request until the server's read models had applied every event (its projections share the server's CPU). */
  caughtUpSeconds?: number;
}

/** A fresh directory for one run's files, removed by `done`. */
export function scratch(name: string): { dir: string; done: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `journeyline-bench-${name}-`));
  return { dir, done: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

export function cpuSeconds(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
}

function expectRows(actual: number, atLeast: number, what: string): number {
  if (actual < atLeast) throw new Error(`${what} stored ${actual} rows, expected at least ${atLeast}`);
  return actual;
}

/** One path's store, written batch by batch. */
export interface BatchWriter {
  write(batch: readonly CustomerCommand[]): Promise<void> | void;
  /** Rows stored so far. */
  rows(): Promise<number> | number;
  close(): Promise<void> | void;
}

/**
 * The floor: better-sqlite3 alone inserting the same rows into the same table (the adapter's own
 * schema, both unique indexes), one prepared INSERT, 1,000 rows a transaction, WAL,
 * synchronous=NORMAL (and `pragmas`, to see what a setting gives the floor itself). It serialises each event's data (a store must) and tracks revisions in a
 * Map, but checks nothing: no duplicate lookups, no expected revisions, no canonical JSON.
 */
export function floorWriter(dir: string, pragmas: readonly string[] = []): BatchWriter {
  const db = new BetterSqlite3(path.join(dir, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const pragma of pragmas) db.pragma(pragma);
  migrateEventStoreSchema(db);
  const insert = db.prepare(`INSERT INTO events (stream_id, revision, event_id, type, data, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const revisions = new Map<string, number>();
  const write = db.transaction((facts: Fact[]) => {
    const recordedAt = new Date().toISOString();
    for (const { streamId, event } of facts) {
      const revision = (revisions.get(streamId) ?? -1) + 1;
      revisions.set(streamId, revision);
      insert.run(streamId, revision, event.eventId, event.type, JSON.stringify(event.data), event.occurredAt, recordedAt);
    }
  });
  return {
    write: (batch) => write(batch.map(factOf)),
    rows: () => db.prepare('SELECT count(*) FROM events').pluck().get() as number,
    close: () => void db.close(),
  };
}

/** `SqliteEventStore.append` alone: one call a batch, the batch's streams as requests with their expected revisions. */
export function adapterWriter(dir: string): BatchWriter {
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
  const revisions = new Map<string, number>();
  return {
    write: async (batch) => void (await store.append(appendRequests(batch.map(factOf), revisions))),
    rows: () => store.headPosition(),
    close: () => store.close(),
  };
}

/**
 * `recordCustomerEvents` (seal, look up event ids, read and fold streams, decide, append), one
 * call a batch, as the server runs it: the key vault in the store's file, one state cache.
 * `wrap` lets the profile time the store's calls.
 */
export function writePathWriter(
  dir: string,
  wrap: (store: EventStore) => EventStore = (s) => s,
  personalWrap: (p: PersonalDataSealer) => PersonalDataSealer = (p) => p,
): BatchWriter {
  const file = path.join(dir, 'journeyline.db');
  const store = SqliteEventStore.open(file);
  const personal = localPersonalData(file);
  const measured = wrap(store);
  const context = { personal: personalWrap(personal), states: new CustomerStateCache() };
  return {
    write: async (batch) => void (await recordCustomerEvents(measured, batch, context)),
    rows: () => store.headPosition(),
    close: async () => {
      await personal.vault.close();
      await store.close();
    },
  };
}

/** One timed pass of `batches` through a fresh writer; its rows are checked afterwards. */
export async function timedRun(name: string, open: (dir: string) => BatchWriter, batches: readonly CustomerCommand[][]): Promise<PathRun> {
  const { dir, done } = scratch(name);
  const writer = open(dir);
  try {
    let events = 0;
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    for (const batch of batches) {
      await writer.write(batch);
      events += batch.length;
    }
    const took = seconds(started);
    const cpuTook = cpuSeconds(cpu);
    return { events, seconds: took, cpuSeconds: cpuTook, storedRows: expectRows(await writer.rows(), events, name) };
  } finally {
    await writer.close();
    done();
  }
}
