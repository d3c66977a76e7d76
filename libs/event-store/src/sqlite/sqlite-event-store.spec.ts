import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreUnavailableError } from '../event-store.errors';
import { eventStoreContract } from '@journeyline/event-store/testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';

let directory: string;
let files = 0;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'journeyline-event-store-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});
/** A fresh file per test: the contract needs an empty store, and a file (unlike ':memory:') runs in WAL. */
const nextFile = () => join(directory, `events-${++files}.db`);

eventStoreContract('sqlite', async () => {
  const store = SqliteEventStore.open(nextFile());
  return { store, cleanup: () => store.close() };
});

describe('SqliteEventStore', () => {
  const visit = (eventId: string) => ({
    eventId,
    type: 'touchpoint.visited',
    data: { touchpoint: 'zalo-oa', channel: 'chat', stage: 'awareness' },
    occurredAt: '2026-11-20T02:15:00.000Z',
  });

  it('keeps events, revisions and idempotency across close and reopen', async () => {
    const file = nextFile();
    const first = SqliteEventStore.open(file);
    const appended = await first.append([{ streamId: 'customer-c-1042', expectedRevision: 'no_stream', events: [visit('e-1'), visit('e-2')] }]);
    const before = await first.readAll({ after: 0, limit: 10 });
    await first.close();

    const reopened = SqliteEventStore.open(file);
    try {
      expect(await reopened.readAll({ after: 0, limit: 10 })).toEqual(before);
      expect(await reopened.streamRevision('customer-c-1042')).toBe(1);
      const again = await reopened.append([{ streamId: 'customer-c-1042', expectedRevision: 1, events: [visit('e-1')] }]);
      expect(again.events[0]).toEqual({ ...appended.events[0], duplicate: true });
      const next = await reopened.append([{ streamId: 'customer-c-1042', expectedRevision: 1, events: [visit('e-3')] }]);
      expect(next.events[0].position).toBeGreaterThan(appended.events[1].position);
    } finally {
      await reopened.close();
    }
  });

  it('runs in WAL mode with synchronous=NORMAL and a busy timeout', async () => {
    const store = SqliteEventStore.open(nextFile());
    try {
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      await store.close();
    }
  });

  it('copies its write-ahead log back into the file every 10,000 pages, or as often as it is told', async () => {
    const file = nextFile();
    const store = SqliteEventStore.open(file);
    const often = SqliteEventStore.open(file, { walAutocheckpointPages: 100 });
    try {
      expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBe(10_000);
      expect(often.db.pragma('wal_autocheckpoint', { simple: true })).toBe(100);
    } finally {
      await often.close();
      await store.close();
    }
  });

  it("keeps the SQLite build's 16 MiB page cache unless told another size", async () => {
    const file = nextFile();
    const store = SqliteEventStore.open(file);
    const other = SqliteEventStore.open(file);
    try {
      expect(store.db.pragma('cache_size', { simple: true })).toBe(-16_000);
      store.usePageCache(4);
      expect(store.db.pragma('cache_size', { simple: true })).toBe(-4096);
      store.usePageCache(2);
      expect(store.db.pragma('cache_size', { simple: true })).toBe(-2048);
      // a connection's own: another on the same file keeps its size
      expect(other.db.pragma('cache_size', { simple: true })).toBe(-16_000);
    } finally {
      await other.close();
      await store.close();
    }
  });

  it('records its schema version and reopens a file it created without migrating again', async () => {
    const file = nextFile();
    await SqliteEventStore.open(file).close();
    const reopened = SqliteEventStore.open(file);
    try {
      expect(reopened.db.prepare("SELECT version FROM schema_version WHERE component = 'event-store'").pluck().get()).toBe(1);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a file whose event store schema is newer than it knows', () => {
    const file = nextFile();
    const db = new BetterSqlite3(file);
    db.exec('CREATE TABLE schema_version (component TEXT PRIMARY KEY, version INTEGER NOT NULL) STRICT');
    db.exec("INSERT INTO schema_version VALUES ('event-store', 99)");
    db.close();
    expect(() => SqliteEventStore.open(file)).toThrow(/version 99/);
  });

  it('starts with head position 0', async () => {
    const store = SqliteEventStore.open(':memory:');
    try {
      expect(await store.headPosition()).toBe(0);
      expect(await store.health()).toEqual({ store: 'sqlite', ok: true, position: 0, writable: true });
    } finally {
      await store.close();
    }
  });

  it("records the clock's time, never before the last event's even when the clock steps back (recorded by T is a prefix of the log)", async () => {
    const times = ['2026-11-20T10:00:00.000Z', '2026-11-20T09:00:00.000Z', '2026-11-20T11:00:00.000Z'];
    let tick = 0;
    const store = SqliteEventStore.open(':memory:', { clock: () => new Date(times[tick++]) });
    try {
      for (const id of ['e-1', 'e-2', 'e-3']) await store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit(id)] }]);
      expect((await store.readStream('customer-1')).map((e) => e.recordedAt)).toEqual([
        '2026-11-20T10:00:00.000Z',
        '2026-11-20T10:00:00.000Z', // the clock said 09:00: the last event's time is kept
        '2026-11-20T11:00:00.000Z',
      ]);
    } finally {
      await store.close();
    }
  });

  it('stores data as canonical JSON, keys sorted', async () => {
    const store = SqliteEventStore.open(':memory:');
    try {
      await store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [{ ...visit('e-1'), data: { b: { d: 1, c: 2 }, a: 'Ủng hộ' } }] }]);
      expect(store.db.prepare('SELECT data FROM events').pluck().get()).toBe('{"a":"Ủng hộ","b":{"c":2,"d":1}}');
    } finally {
      await store.close();
    }
  });

  it('rejects data that JSON cannot carry faithfully, writing nothing', async () => {
    const store = SqliteEventStore.open(':memory:');
    try {
      const bad = { ...visit('e-1'), data: { score: Number.NaN } };
      await expect(store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [bad] }])).rejects.toThrow(TypeError);
      expect(await store.headPosition()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('stores nothing when the database fails on the last insert of a 1,000-event append', async () => {
    // The port's own errors are all raised before the first insert; this failure comes mid-write:
    // the 1,000th INSERT throws as a full disk would.
    const store = SqliteEventStore.open(nextFile());
    const insert = (store as unknown as { insertEvent: { run: (...args: unknown[]) => unknown } }).insertEvent;
    const run = insert.run.bind(insert);
    let inserts = 0;
    insert.run = (...args: unknown[]) => {
      if (++inserts === 1000) throw new Error('simulated disk trouble');
      return run(...args);
    };
    try {
      const requests = Array.from({ length: 100 }, (_, s) => ({
        streamId: `customer-${s}`,
        expectedRevision: 'no_stream' as const,
        events: Array.from({ length: 10 }, (_, i) => visit(`e-${s * 10 + i}`)),
      }));
      await expect(store.append(requests)).rejects.toThrow('simulated disk trouble');
      expect(await store.headPosition()).toBe(0);
      expect(store.db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('looks event ids up only when the UNIQUE index finds one stored, and then leaves no trace of the inserts it undid', async () => {
    const store = SqliteEventStore.open(nextFile());
    const inside = store as unknown as { lookUp: (ids: string[]) => unknown[] };
    const lookUp = inside.lookUp.bind(store);
    const lookedUp: string[][] = [];
    inside.lookUp = (ids) => {
      lookedUp.push(ids);
      return lookUp(ids);
    };
    try {
      const first = await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('e-1')] }]);
      expect(lookedUp).toEqual([]);

      // customer-1 is at the revision expected, so only inserting e-1 again tells it is stored
      const result = await store.append([
        { streamId: 'customer-2', expectedRevision: 'no_stream', events: [visit('e-2'), visit('e-3')] },
        { streamId: 'customer-1', expectedRevision: 0, events: [visit('e-4'), visit('e-1')] },
      ]);

      expect(lookedUp).toEqual([['e-2', 'e-3', 'e-4', 'e-1']]);
      expect(result.events).toEqual([
        { eventId: 'e-2', streamId: 'customer-2', position: 2, revision: 0, duplicate: false },
        { eventId: 'e-3', streamId: 'customer-2', position: 3, revision: 1, duplicate: false },
        { eventId: 'e-4', streamId: 'customer-1', position: 4, revision: 1, duplicate: false },
        { ...first.events[0], duplicate: true },
      ]);
      expect(result.streams).toEqual({ 'customer-2': 1, 'customer-1': 1 });
      expect((await store.readAll({ after: 0, limit: 10 })).map((e) => [e.position, e.eventId])).toEqual([
        [1, 'e-1'],
        [2, 'e-2'],
        [3, 'e-3'],
        [4, 'e-4'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('sees appends made through another connection to the same file', async () => {
    const file = nextFile();
    const first = SqliteEventStore.open(file);
    const second = SqliteEventStore.open(file);
    try {
      const written = await first.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('e-1')] }]);
      await expect(second.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('e-2')] }])).rejects.toMatchObject({
        code: 'wrong-expected-revision',
        actual: 0,
      });
      const again = await second.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit('e-1')] }]);
      expect(again.events[0]).toEqual({ ...written.events[0], duplicate: true });
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('reports a closed store as unavailable and unhealthy', async () => {
    const store = SqliteEventStore.open(':memory:');
    await store.close();
    await store.close(); // closing twice is harmless
    await expect(store.readAll({ after: 0, limit: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.health()).toMatchObject({ store: 'sqlite', ok: false });
  });

  it('reports a write lock held too long by another connection as unavailable', async () => {
    const file = nextFile();
    const store = SqliteEventStore.open(file, { busyTimeoutMs: 0 });
    const other = new BetterSqlite3(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      await expect(store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit('e-1')] }])).rejects.toBeInstanceOf(StoreUnavailableError);
      other.exec('ROLLBACK');
      await expect(store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit('e-1')] }])).resolves.toMatchObject({
        streams: { 'customer-1': 0 },
      });
    } finally {
      other.close();
      await store.close();
    }
  });
});
