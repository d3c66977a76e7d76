import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { StoreUnavailableError } from '../event-store.errors';
import type { AppendRequest, NewEvent } from '../event-store.port';
import { eventStoreContract } from '@journeyline/event-store/testing/event-store.contract';
import { migrateEventStore, PostgresEventStore } from './postgres-event-store';
import { createPool } from './postgres-pool';
import { notificationChannel, type AppendNotice } from './postgres-notifications';
import { adminPool, dropSchema, testPostgresUrl, uniqueSchema } from '@journeyline/event-store/testing/postgres-test-support';

let admin: Pool;
let shared: Pool;
beforeAll(() => {
  admin = adminPool();
  shared = createPool({ connectionString: testPostgresUrl(), max: 8 });
});
afterAll(async () => {
  await shared.end();
  await admin.end();
});

/** A store on a fresh schema (on its own pool when asked), and a cleanup that drops the schema. */
async function freshStore(options: Partial<Parameters<typeof PostgresEventStore.open>[0]> = {}) {
  const schema = uniqueSchema('jl_es');
  const store = await PostgresEventStore.open({ pool: options.connectionString ? undefined : shared, schema, ...options });
  return {
    store,
    schema,
    cleanup: async () => {
      await store.close();
      await dropSchema(admin, schema);
    },
  };
}

eventStoreContract('postgres', () => freshStore());

const visit = (eventId: string = randomUUID(), n = 0): NewEvent => ({
  eventId,
  type: 'touchpoint.visited',
  data: { touchpoint: 'zalo-oa', channel: 'chat', stage: 'awareness', n },
  occurredAt: '2026-11-20T02:15:00.000Z',
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgresEventStore', () => {
  it('never skips an event committed out of order: 24 writers, one reader following from its last position', async () => {
    // Each writer holds some of its transactions open for a few milliseconds after writing, so
    // higher positions commit before lower ones all the time.
    const { store, cleanup } = await freshStore({
      connectionString: testPostgresUrl(),
      maxConnections: 30,
      beforeCommit: async () => {
        if (Math.random() < 0.5) await sleep(Math.random() * 8);
      },
    });
    try {
      const WRITERS = 24;
      const RUN_MS = 3000;
      const appended = new Map<string, number>(); // eventId → position, as acknowledged
      const commitOrder: number[] = []; // first position of each append, in acknowledgement order
      let writing = true;

      const writer = async (w: number) => {
        let appends = 0;
        while (writing) {
          const count = 1 + Math.floor(Math.random() * 20);
          const requests: AppendRequest[] = [
            { streamId: `customer-w${w}-${appends % 5}`, expectedRevision: 'any', events: Array.from({ length: count }, () => visit()) },
          ];
          const result = await store.append(requests);
          for (const e of result.events) appended.set(e.eventId, e.position);
          commitOrder.push(result.events[0].position);
          appends++;
        }
      };

      const seen: number[] = [];
      const seenIds = new Set<string>();
      let last = 0;
      let unboundedWouldSkip = 0;
      const readPage = async () => {
        const page = await store.readAll({ after: last, limit: 500 });
        for (const event of page) {
          expect(event.position).toBeGreaterThan(last);
          expect(seenIds.has(event.eventId)).toBe(false);
          seenIds.add(event.eventId);
          seen.push(event.position);
          last = event.position;
        }
        return page.length;
      };
      const reader = async () => {
        let naiveLast = 0;
        while (writing) {
          await readPage();
          // Control: a reader that trusts position order alone jumps over rows still in flight.
          const { rows } = await store.pool.query<{ position: string }>(`SELECT max(position) AS position FROM ${store.schema}.events WHERE position > $1`, [
            naiveLast,
          ]);
          const naiveHead = Number(rows[0].position ?? naiveLast);
          const { rows: missing } = await admin.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM generate_series($1::bigint + 1, $2::bigint) AS p
              WHERE NOT EXISTS (SELECT 1 FROM ${store.schema}.events e WHERE e.position = p)`,
            [naiveLast, naiveHead],
          );
          unboundedWouldSkip += missing[0].n;
          naiveLast = naiveHead;
          await sleep(1);
        }
      };

      const runningReader = reader();
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
      await sleep(RUN_MS);
      // on a loaded machine the reader may look less often than the hazard shows: write on (up to
      // 15 s more) until it has seen a naive reader's skip at least once, as the last check requires
      const deadline = Date.now() + 15_000;
      while (unboundedWouldSkip === 0 && Date.now() < deadline) await sleep(100);
      writing = false;
      await Promise.all([...writers, runningReader]);
      while ((await readPage()) > 0);

      expect(appended.size).toBeGreaterThan(1000);
      expect(seenIds.size).toBe(appended.size);
      expect(seen.length).toBe(appended.size);
      expect([...seen]).toEqual([...appended.values()].sort((a, b) => a - b));
      for (const [eventId, position] of appended) expect(seenIds.has(eventId) && position > 0).toBe(true);
      // The hazard really happened: acknowledged out of position order, and a naive reader
      // would have moved past positions that were not visible yet (some of them were only
      // rolled-back positions, the rest would have been lost).
      const inversions = commitOrder.filter((position, i) => i > 0 && position < commitOrder[i - 1]).length;
      expect(inversions).toBeGreaterThan(10);
      expect(unboundedWouldSkip).toBeGreaterThan(0);
    } finally {
      await cleanup();
    }
  }, 45_000);

  it('holds readers back at an append still in flight, then hands out both in position order', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let holdNext = false;
    const { store, cleanup } = await freshStore({
      beforeCommit: async () => {
        if (!holdNext) return;
        holdNext = false;
        await held;
      },
    });
    try {
      const before = await store.append([{ streamId: 'customer-0', expectedRevision: 'no_stream', events: [visit()] }]);
      holdNext = true;
      const slow = store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit(), visit()] }]);
      while (holdNext) await sleep(2); // the slow append has written and waits before COMMIT
      const fast = await store.append([{ streamId: 'customer-2', expectedRevision: 'no_stream', events: [visit()] }]);

      expect(fast.events[0].position).toBeGreaterThan(before.events[0].position + 2);
      expect((await store.readAll({ after: 0, limit: 100 })).map((e) => e.position)).toEqual([before.events[0].position]);
      expect(await store.headPosition()).toBe(before.events[0].position);

      release();
      const slowResult = await slow;
      const all = await store.readAll({ after: before.events[0].position, limit: 100 });
      expect(all.map((e) => e.position)).toEqual([...slowResult.events.map((e) => e.position), fast.events[0].position]);
      expect(await store.headPosition()).toBe(fast.events[0].position);
    } finally {
      await cleanup();
    }
  });

  it('is not held back by a long write transaction that is not an append', async () => {
    const { store, schema, cleanup } = await freshStore();
    const other = await admin.connect();
    try {
      // A transaction with an id, open across the append: it lowers xmin for the whole cluster.
      await other.query('BEGIN');
      await other.query(`CREATE TABLE "${schema}".unrelated (x int)`);
      const appended = await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit()] }]);
      expect((await store.readAll({ after: 0, limit: 10 })).map((e) => e.position)).toEqual([appended.events[0].position]);
      expect(await store.headPosition()).toBe(appended.events[0].position);
    } finally {
      await other.query('ROLLBACK');
      other.release();
      await cleanup();
    }
  });

  it('migrates on open, records the version, and a migration re-run is a no-op', async () => {
    const { store, schema, cleanup } = await freshStore();
    try {
      const written = await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit()] }]);
      const versions = async () =>
        (await admin.query(`SELECT component, version, description, applied_at FROM "${schema}".journeyline_migrations ORDER BY version`)).rows;
      const before = await versions();
      expect(before).toEqual([expect.objectContaining({ component: 'event-store', version: 1 })]);

      expect(await migrateEventStore(admin, schema)).toEqual({ applied: [], version: 1 });
      const reopened = await PostgresEventStore.open({ pool: shared, schema });
      expect(await versions()).toEqual(before);
      expect(await reopened.readAll({ after: 0, limit: 10 })).toEqual(await store.readAll({ after: 0, limit: 10 }));
      const again = await reopened.append([{ streamId: 'customer-1', expectedRevision: 0, events: [visit()] }]);
      expect(again.events[0].position).toBeGreaterThan(written.events[0].position);
      await reopened.close();
    } finally {
      await cleanup();
    }
  });

  it('refuses a schema migrated by a newer build', async () => {
    const { schema, cleanup } = await freshStore();
    try {
      await admin.query(`INSERT INTO "${schema}".journeyline_migrations (component, version, description) VALUES ('event-store', 2, 'from the future')`);
      await expect(PostgresEventStore.open({ pool: shared, schema })).rejects.toThrow(/version 2, newer than this build knows \(1\)/);
    } finally {
      await cleanup();
    }
  });

  it('wakes a subscriber by LISTEN/NOTIFY when another process appends', async () => {
    const { store, schema, cleanup } = await freshStore({ connectionString: testPostgresUrl(), maxConnections: 2 });
    const writer = await PostgresEventStore.open({ pool: shared, schema });
    try {
      const notices: (AppendNotice | null)[] = [];
      let heard!: () => void;
      const first = new Promise<void>((resolve) => (heard = resolve));
      const unsubscribe = store.subscribe((notice) => {
        notices.push(notice);
        heard();
      });
      await store.listening();
      const started = Date.now();
      const result = await writer.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit(), visit(), visit()] }]);
      await first;
      expect(Date.now() - started).toBeLessThan(1000);
      expect(notices).toEqual([{ position: result.events[2].position, count: 3 }]);

      unsubscribe();
      await writer.append([{ streamId: 'customer-1', expectedRevision: 2, events: [visit()] }]);
      await sleep(100);
      expect(notices).toHaveLength(1);
    } finally {
      await writer.close();
      await cleanup();
    }
  });

  it('tells the subscriber to catch up when its listening connection was lost and is back', async () => {
    const { store, schema, cleanup } = await freshStore({ connectionString: testPostgresUrl(), maxConnections: 2 });
    try {
      const notices: (AppendNotice | null)[] = [];
      const unsubscribe = store.subscribe((notice) => notices.push(notice));
      await store.listening();
      const channel = notificationChannel(schema);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query = $1`, [`LISTEN "${channel}"`]);
      for (let i = 0; i < 100 && !notices.includes(null); i++) await sleep(20);
      expect(notices).toContain(null);
      await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit()] }]);
      for (let i = 0; i < 100 && notices.length < 2; i++) await sleep(20);
      expect(notices.at(-1)).toMatchObject({ count: 1 });
      unsubscribe();
    } finally {
      await cleanup();
    }
  });

  it('maps a connection lost mid-append to StoreUnavailableError, writes nothing, and recovers by itself', async () => {
    let killNext = false;
    const name = uniqueSchema('jl_kill');
    const { store, cleanup } = await freshStore({
      connectionString: `${testPostgresUrl()}?application_name=${name}`,
      maxConnections: 3,
      beforeCommit: async () => {
        if (!killNext) return;
        killNext = false;
        // The server ends this very connection before COMMIT, as a restart would.
        await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'`, [name]);
      },
    });
    try {
      killNext = true;
      const lost = visit();
      await expect(store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [lost] }])).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(await store.readAll({ after: 0, limit: 10 })).toEqual([]);
      const retried = await store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [lost] }]);
      expect(retried.events[0]).toMatchObject({ eventId: lost.eventId, revision: 0, duplicate: false });
      expect(await store.health()).toMatchObject({ ok: true, position: retried.events[0].position });
    } finally {
      await cleanup();
    }
  });

  it('reports an unreachable server as StoreUnavailableError', async () => {
    await expect(PostgresEventStore.open({ connectionString: 'postgres://postgres@127.0.0.1:1/test', schema: uniqueSchema() })).rejects.toBeInstanceOf(
      StoreUnavailableError,
    );
  });

  it('reports a closed store as unavailable and unhealthy', async () => {
    const { store, cleanup } = await freshStore();
    await cleanup();
    await store.close(); // closing twice is harmless
    await expect(store.readAll({ after: 0, limit: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit()] }])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.health()).toMatchObject({ store: 'postgres', ok: false });
  });

  it('stores data as canonical JSON text and the database clock as recordedAt', async () => {
    const { store, schema, cleanup } = await freshStore();
    try {
      const before = (await admin.query<{ now: Date }>("SELECT date_trunc('milliseconds', clock_timestamp()) AS now")).rows[0].now;
      await store.append([
        { streamId: 'customer-1', expectedRevision: 'any', events: [{ ...visit('e-1'), data: { b: { d: 1, c: 2 }, a: 'Ủng hộ', x: 1e-7 } }] },
      ]);
      const after = (await admin.query<{ now: Date }>('SELECT clock_timestamp() AS now')).rows[0].now;
      const { rows } = await admin.query(`SELECT data::text AS data, pg_typeof(data)::text AS type FROM "${schema}".events`);
      expect(rows).toEqual([{ data: '{"a":"Ủng hộ","b":{"c":2,"d":1},"x":1e-7}', type: 'json' }]);
      // recordedAt is the database's clock at the append, to the millisecond, read back as an ISO instant
      const [stored] = await store.readStream('customer-1');
      expect(stored.recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(Date.parse(stored.recordedAt)).toBeGreaterThanOrEqual(before.getTime());
      expect(Date.parse(stored.recordedAt)).toBeLessThanOrEqual(after.getTime());
    } finally {
      await cleanup();
    }
  });
});
