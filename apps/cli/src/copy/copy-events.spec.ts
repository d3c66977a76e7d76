import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type AppendRequest, type EventStore, type StoredEvent } from '@journeyline/event-store';
import { InMemoryKurrentDb } from '@journeyline/event-store/testing/in-memory-kurrentdb';
import { adminPool, dropSchema, testPostgresUrl, uniqueSchema } from '@journeyline/event-store/testing/postgres-test-support';
import { buildCli } from '../main';
import { copyStores } from '../commands/copy.command';
import { verifyCopy } from './copy-checksum';
import { readCheckpoint, writeCheckpoint } from './copy-checkpoint';
import { copyEvents, CopyConflictError } from './copy-events';
import { parseStoreUrl } from '@journeyline/platform';

const TOTAL = 1234;
const BATCH = 100;

let directory: string;
let files = 0;
beforeAll(() => {
  directory = fs.mkdtempSync(path.join(tmpdir(), 'journeyline-copy-'));
});
afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));
const nextFile = (label: string) => path.join(directory, `${label}-${++files}.db`);

/** A deterministic little generator, so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STAGES = ['awareness', 'evaluation', 'choice', 'purchase', 'use', 'advocacy'];

/** Appends `count` events over 40 customers in many small calls, so streams interleave in the log. */
async function seed(store: EventStore, count: number, from = 0, seedValue = 2026): Promise<void> {
  const next = random(seedValue + from);
  let n = from;
  while (n < from + count) {
    const requests: AppendRequest[] = [];
    for (let r = 0; r < 1 + Math.floor(next() * 3) && n < from + count; r++) {
      const customer = `c-${Math.floor(next() * 40)}`;
      const events = Array.from({ length: Math.min(1 + Math.floor(next() * 4), from + count - n) }, () => {
        n += 1;
        return {
          eventId: `ev-${n}`,
          type: n % 3 === 0 ? 'feedback.given' : 'touchpoint.visited',
          data:
            n % 3 === 0
              ? { kind: 'nps', score: n % 11, scale: '0-10', comment: 'Nhân viên hỗ trợ nhanh 👍', touchpoint: 'hotline' }
              : { touchpoint: `web:page-${n % 7}`, channel: 'web', stage: STAGES[n % 6], properties: { n, ratio: n / 7 } },
          occurredAt: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
        };
      });
      requests.push({ streamId: `customer-${customer}`, expectedRevision: 'any', events });
    }
    await store.append(requests);
  }
}

async function everything(store: EventStore): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  for (let after = 0; ;) {
    const page = await store.readAll({ after, limit: 500 });
    if (page.length === 0) return all;
    all.push(...page);
    after = page[page.length - 1].position;
  }
}

/** What a copy must preserve (positions and recordedAt are each store's own). */
const essence = ({ eventId, streamId, revision, type, data, occurredAt }: StoredEvent) => ({ eventId, streamId, revision, type, data, occurredAt });

async function seededSource(count = TOTAL): Promise<string> {
  const file = nextFile('source');
  const store = SqliteEventStore.open(file);
  await seed(store, count);
  await store.close();
  return file;
}

async function withStore<T>(file: string, work: (store: SqliteEventStore) => Promise<T>): Promise<T> {
  const store = SqliteEventStore.open(file);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const stopAfter = (batches: number) => {
  let asked = 0;
  return () => ++asked >= batches;
};
const never = () => false;

describe('journeyline copy', () => {
  it('copies a SQLite store into another SQLite file: every event, same streams and revisions, in order, verified', async () => {
    const from = await seededSource();
    const to = nextFile('target');

    const result = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });

    expect(result).toMatchObject({ stopped: false, resumedFrom: 0, read: TOTAL, written: TOTAL, present: 0, batches: 13 });
    expect(result.verification).toMatchObject({ ok: true, source: { count: TOTAL }, target: { count: TOTAL } });
    expect(result.verification!.source.sha256).toBe(result.verification!.target.sha256);
    const [source, target] = await Promise.all([withStore(from, everything), withStore(to, everything)]);
    expect(target.map(essence)).toEqual(source.map(essence));
  });

  it('stops cleanly after the current batch and resumes from its checkpoint', async () => {
    const from = await seededSource();
    const to = nextFile('target');

    const first = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: stopAfter(5) });
    expect(first).toMatchObject({ stopped: true, read: 500, written: 500, batches: 5, verification: null });
    const source = await withStore(from, everything);
    expect(await withStore(to, everything)).toHaveLength(500);
    expect(readCheckpoint(first.checkpointFile)).toMatchObject({ position: source[499].position, lastEventId: source[499].eventId, copied: 500 });
    expect(path.dirname(first.checkpointFile)).toBe(path.dirname(to)); // beside the sqlite target

    const resumed = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });
    expect(resumed).toMatchObject({ stopped: false, resumedFrom: source[499].position, read: TOTAL - 500, written: TOTAL - 500, present: 0 });
    expect(resumed.verification).toMatchObject({ ok: true, target: { count: TOTAL } });
    expect((await withStore(to, everything)).map(essence)).toEqual(source.map(essence));
    expect(readCheckpoint(resumed.checkpointFile)?.copied).toBe(TOTAL);
  });

  it('skips events the target committed after the checkpoint was last written (a crash in between)', async () => {
    const from = await seededSource();
    const to = nextFile('target');
    const first = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: stopAfter(5) });
    const source = await withStore(from, everything);
    // Rewind the checkpoint two batches, as if the process died after appending batches 4 and 5.
    writeCheckpoint(first.checkpointFile, {
      ...readCheckpoint(first.checkpointFile)!,
      position: source[299].position,
      lastEventId: source[299].eventId,
      copied: 300,
    });

    const resumed = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });

    expect(resumed).toMatchObject({ resumedFrom: source[299].position, read: TOTAL - 300, present: 200, written: TOTAL - 500 });
    expect(resumed.verification?.ok).toBe(true);
    expect(await withStore(to, everything)).toHaveLength(TOTAL);
  });

  it('starts over harmlessly without a checkpoint: events already there are skipped', async () => {
    const from = await seededSource();
    const to = nextFile('target');
    const first = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });
    fs.rmSync(first.checkpointFile);

    const again = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });

    expect(again).toMatchObject({ resumedFrom: 0, read: TOTAL, written: 0, present: TOTAL });
    expect(again.verification?.ok).toBe(true);
    expect(await withStore(to, everything)).toHaveLength(TOTAL);
  });

  it('ignores the checkpoint of another copy, saying so', async () => {
    const from = await seededSource(200);
    const to = nextFile('target');
    const checkpoint = path.join(directory, 'shared-checkpoint.json');
    writeCheckpoint(checkpoint, {
      version: 1,
      from: 'sqlite:/elsewhere.db',
      to: 'sqlite:/other.db',
      position: 150,
      lastEventId: 'ev-150',
      copied: 150,
      updatedAt: '',
    });

    const result = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, checkpoint, shouldStop: never });

    expect(result.resumeNote).toMatch(/checkpoint of another copy/);
    expect(result).toMatchObject({ resumedFrom: 0, read: 200, written: 200 });
  });

  it('brings the target up to date on a later run (only the new source events)', async () => {
    const from = await seededSource();
    const to = nextFile('target');
    await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });
    await withStore(from, (store) => seed(store, 50, TOTAL));

    const later = await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });

    expect(later).toMatchObject({ read: 50, written: 50, present: 0 });
    expect(later.verification).toMatchObject({ ok: true, target: { count: TOTAL + 50 } });
  });

  it('refuses a target whose streams hold events the source does not have', async () => {
    const from = await seededSource(200);
    const to = nextFile('target');
    const [firstStream] = (await withStore(from, everything)).map((e) => e.streamId);
    await withStore(to, (store) =>
      store.append([
        {
          streamId: firstStream,
          expectedRevision: 'no_stream',
          events: [{ eventId: 'local', type: 'customer.churned', data: {}, occurredAt: '2026-01-01T00:00:00.000Z' }],
        },
      ]),
    );

    await expect(copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never })).rejects.toThrow(CopyConflictError);
    await expect(copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never })).rejects.toThrow(
      new RegExp(`target stream ${firstStream} is at revision 0 where the copy expected no_stream`),
    );
  });

  it('refuses a target holding one of the eventIds with another body', async () => {
    const from = await seededSource(200);
    const to = nextFile('target');
    await withStore(to, (store) =>
      store.append([
        {
          streamId: 'customer-elsewhere',
          expectedRevision: 'any',
          events: [{ eventId: 'ev-7', type: 'customer.churned', data: {}, occurredAt: '2026-01-01T00:00:00.000Z' }],
        },
      ]),
    );
    await expect(copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never })).rejects.toThrow(/eventId ev-7 with a different body/);
  });

  it('verification notices a target whose data differs, even with equal counts', async () => {
    const from = await seededSource(300);
    const to = nextFile('target');
    await copyStores(`sqlite:${from}`, `sqlite:${to}`, { batchSize: BATCH, shouldStop: never });
    await withStore(to, async (store) => {
      store.db.prepare(`UPDATE events SET data = json_set(data, '$.touchpoint', 'tampered') WHERE event_id = 'ev-42'`).run();
    });

    const verification = await withStore(from, (source) => withStore(to, (target) => verifyCopy(source, target, Number.MAX_SAFE_INTEGER)));

    expect(verification.ok).toBe(false);
    expect(verification.source.count).toBe(verification.target.count);
    expect(verification.source.sha256).not.toBe(verification.target.sha256);
  });

  it('copies into KurrentDB (positions are log offsets there) and back, with the same checksum all the way', async () => {
    const from = await seededSource(500);
    const back = nextFile('back');
    await withStore(from, async (source) => {
      const kurrent = await KurrentDbEventStore.over(new InMemoryKurrentDb());
      const there = await copyEvents(source, kurrent, { batchSize: 64, shouldStop: stopAfter(3) });
      expect(there).toMatchObject({ stopped: true, read: 192 });
      const finished = await copyEvents(source, kurrent, { batchSize: 64 }); // no checkpoint: starts over, skips what is there
      expect(finished).toMatchObject({ read: 500, present: 192, written: 308 });
      expect(finished.verification?.ok).toBe(true);
      expect((await kurrent.readAll({ after: 0, limit: 1 }))[0].position).toBeGreaterThan(1_000_000);

      await withStore(back, async (target) => {
        const returned = await copyEvents(kurrent, target, { batchSize: 64 });
        expect(returned.verification?.ok).toBe(true);
        expect(returned.verification?.source.sha256).toBe(finished.verification?.source.sha256);
        expect((await everything(target)).map(essence)).toEqual((await everything(source)).map(essence));
      });
    });
  });

  it('runs as `journeyline copy --from --to` and prints the verification', async () => {
    const from = await seededSource(150);
    const to = nextFile('target');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const listening = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
    try {
      await buildCli().parseAsync(['node', 'journeyline', 'copy', '--from', `sqlite:${from}`, '--to', `sqlite:${to}`, '--batch-size', '40']);
      const printed = log.mock.calls.map((call) => String(call[0])).join('\n');
      expect(printed).toMatch(/copied 150 source events \(150 new in the target, 0 already there\)/);
      expect(printed).toMatch(/verified: 150 events, sha256 [0-9a-f]{64} on both sides/);
    } finally {
      log.mockRestore();
      // The command's Ctrl-C handlers: remove only those, not the test runner's.
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        for (const added of process.listeners(signal).filter((l) => !listening[signal].includes(l))) process.removeListener(signal, added);
      }
    }
  });

  it('refuses the same store on both sides and a source file that does not exist', async () => {
    const from = await seededSource(10);
    await expect(copyStores(`sqlite:${from}`, `sqlite://${from}`)).rejects.toThrow(/same store/);
    await expect(copyStores(`sqlite:${path.join(directory, 'missing.db')}`, `sqlite:${nextFile('target')}`)).rejects.toThrow(/does not exist/);
  });
});

describe('store URLs', () => {
  it.each([
    ['sqlite:./data/journeyline.db', { kind: 'sqlite', file: path.resolve('data/journeyline.db') }],
    ['sqlite:///var/lib/journeyline.db', { kind: 'sqlite', file: '/var/lib/journeyline.db' }],
    ['postgres://jl@db:5432/journeyline', { kind: 'postgres', connectionString: 'postgres://jl@db:5432/journeyline', schema: 'journeyline' }],
    ['postgresql://jl@db/x?schema=staging&sslmode=require', { kind: 'postgres', connectionString: 'postgresql://jl@db/x?sslmode=require', schema: 'staging' }],
    ['esdb://127.0.0.1:2113?tls=false', { kind: 'kurrentdb', connectionString: 'esdb://127.0.0.1:2113?tls=false' }],
    ['kurrentdb://kurrentdb:2113?tls=false', { kind: 'kurrentdb', connectionString: 'kurrentdb://kurrentdb:2113?tls=false' }],
  ])('reads %s', (url, expected) => {
    expect(parseStoreUrl(url)).toEqual(expected);
  });

  it('refuses what is not a store URL, naming the forms', () => {
    expect(() => parseStoreUrl('./data/journeyline.db')).toThrow(/sqlite:\.\/data\/journeyline\.db, postgres:\/\//);
    expect(() => parseStoreUrl('mysql://x')).toThrow(/not a store URL/);
    expect(() => parseStoreUrl('sqlite:')).toThrow(/names a file/);
  });
});

// In CI (.ci/run starts PostgreSQL) this always runs; elsewhere it skips, saying why by name.
const postgresUp = spawnSync('pg_isready', ['-h', '127.0.0.1', '-p', '5432', '-q']).status === 0 || Boolean(process.env.CI);
const describeWithPostgres = postgresUp ? describe : describe.skip;

describeWithPostgres(
  postgresUp ? 'journeyline copy into PostgreSQL' : 'journeyline copy into PostgreSQL — skipped: no PostgreSQL answers at 127.0.0.1:5432',
  () => {
    const pool = adminPool();
    const schema = uniqueSchema('jl_copy');
    afterAll(async () => {
      await dropSchema(pool, schema);
      await pool.end();
    });

    it('copies, stops after three batches, resumes and verifies, in a schema of its own', async () => {
      const from = await seededSource();
      const url = new URL(testPostgresUrl());
      url.searchParams.set('schema', schema);
      const checkpoint = path.join(directory, `${schema}.json`);

      const first = await copyStores(`sqlite:${from}`, url.toString(), { batchSize: BATCH, checkpoint, shouldStop: stopAfter(3) });
      expect(first).toMatchObject({ stopped: true, read: 300 });
      const resumed = await copyStores(`sqlite:${from}`, url.toString(), { batchSize: BATCH, checkpoint, shouldStop: never });
      expect(resumed).toMatchObject({ read: TOTAL - 300, written: TOTAL - 300 });
      expect(resumed.verification).toMatchObject({ ok: true, target: { count: TOTAL } });

      const target = await PostgresEventStore.open({ connectionString: testPostgresUrl(), schema });
      try {
        expect((await everything(target)).map(essence)).toEqual((await withStore(from, everything)).map(essence));
      } finally {
        await target.close();
      }
    });
  },
);
