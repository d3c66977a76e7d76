import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { EventStore } from '@journeyline/event-store';
import { generateJourneys } from '@journeyline/demo';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { CxCutsProjection } from '../cx-cuts/cx-cuts.projection';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import {
  dumpReadModels,
  expectCrashBeforeCheckpointHarmless,
  expectEachBatchAppliedOnce,
  interleavedJourneys,
  sqliteHarness,
  withHarness,
} from '@journeyline/projections/testing/projection-harness';
import { ChurnRiskProcess } from '../churn-risk/churn-risk.process';
import { journeylineProjections } from '../journeyline-projections';
import { Projector } from './projector';

const projections = (store: Pick<EventStore, 'readStream'>) => [
  new JourneyMapProjection(store, 'Asia/Ho_Chi_Minh'),
  new CxMetricsProjection('Asia/Ho_Chi_Minh'),
];

describe('projector runtime', () => {
  it('a rebuild equals the live result byte for byte on generated data (with late events)', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const liveDb = h.readModels('live.db');
      const live = new Projector(h.store, liveDb, projections(h.store), { batchSize: 7 });
      await live.init();
      for (const batch of interleavedJourneys(120, 7)) {
        await h.record(batch);
        await live.catchUp();
      }
      const rebuiltDb = h.readModels('rebuilt.db');
      const rebuilt = new Projector(h.store, rebuiltDb, projections(h.store));
      await rebuilt.rebuild(undefined, { batchSize: 5000 });
      const liveDump = await dumpReadModels(liveDb, live.projections);
      expect(liveDump.length).toBeGreaterThan(10_000);
      expect(await dumpReadModels(rebuiltDb, rebuilt.projections)).toBe(liveDump);
      // and rebuilding the live one in place gives the same bytes again
      await live.rebuild(['journey-map']);
      expect(await dumpReadModels(liveDb, live.projections)).toBe(liveDump);
    });
  });

  it('a rebuild whose journey-map flush writes persons a few at a time and whose metrics and metric cuts end transactions early equals the live result', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const zone = 'Asia/Ho_Chi_Minh';
      const liveDb = h.readModels('live.db');
      const live = new Projector(h.store, liveDb, [new JourneyMapProjection(h.store, zone), new CxCutsProjection(zone), new CxMetricsProjection(zone)], {
        batchSize: 13,
      });
      await live.init();
      for (const batch of interleavedJourneys(150, 3)) {
        await h.record(batch);
        await live.catchUp();
      }
      const liveDump = await dumpReadModels(liveDb, live.projections);
      expect(JSON.parse(liveDump).cut_buckets.length).toBeGreaterThan(200);
      expect(JSON.parse(liveDump).jm_person_days.length).toBeGreaterThan(100);
      expect(JSON.parse(liveDump).cx_scores.length).toBeGreaterThan(200);
      expect(JSON.parse(liveDump).cx_ttr_bins.length).toBeGreaterThan(10);

      const rebuiltDb = h.readModels('rebuilt.db');
      let transactions = 0;
      const small = [new JourneyMapProjection(h.store, zone, 7), new CxCutsProjection(zone, 60), new CxMetricsProjection(zone, 40)];
      const rebuilt = new Projector(h.store, rebuiltDb, small, { readSize: 50, beforeCheckpoint: () => void transactions++ });
      await rebuilt.rebuild(undefined, { batchSize: 100_000 });
      // one transaction would have held the whole log: the limits ended it many times
      expect(transactions).toBeGreaterThan(5);
      expect(await dumpReadModels(rebuiltDb, rebuilt.projections)).toBe(liveDump);
    });
  });

  it('a journey-map transaction ends once the heap has grown by its budget, and the rebuild still equals the live result', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const zone = 'Asia/Ho_Chi_Minh';
      const liveDb = h.readModels('live.db');
      const live = new Projector(h.store, liveDb, [new JourneyMapProjection(h.store, zone)], { batchSize: 9 });
      await live.init();
      for (const batch of interleavedJourneys(100, 5)) {
        await h.record(batch);
        await live.catchUp();
      }
      const liveDump = await dumpReadModels(liveDb, live.projections);
      expect(JSON.parse(liveDump).jm_customers.length).toBeGreaterThan(90);

      // a heap that grows 1 MiB each time it is looked at (at the start and after each read of 40 events)
      let heap = 0;
      const growing = { heapInUse: () => (heap += 2 ** 20), heapBudget: 4 * 2 ** 20, minPersons: 10 };
      const rebuildWith = async (file: string, memory: typeof growing) => {
        const db = h.readModels(file);
        let transactions = 0;
        const projector = new Projector(h.store, db, [new JourneyMapProjection(h.store, zone, undefined, memory)], {
          readSize: 40,
          beforeCheckpoint: () => void transactions++,
        });
        await projector.rebuild(undefined, { batchSize: 100_000 });
        return { transactions, dump: await dumpReadModels(db, projector.projections) };
      };
      const budgeted = await rebuildWith('budgeted.db', growing);
      // the log holds far more than four reads: the budget ended the transaction again and again
      expect(budgeted.transactions).toBeGreaterThan(5);
      expect(budgeted.dump).toBe(liveDump);
      // with a budget it never reaches, one transaction holds the whole log
      const unbounded = await rebuildWith('unbounded.db', { ...growing, heapBudget: Number.POSITIVE_INFINITY });
      expect(unbounded.transactions).toBe(1);
      expect(unbounded.dump).toBe(liveDump);
    });
  });

  it('a transaction spanning many reads of the log, with churn-risk flags dated before later events, equals the live result', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const liveDb = h.readModels('live.db');
      const live = new Projector(h.store, liveDb, journeylineProjections(h.store, 'Asia/Ho_Chi_Minh'), { batchSize: 11 });
      const batches = interleavedJourneys(90, 21);
      for (const [i, batch] of batches.entries()) {
        await h.record(batch);
        // The churn-risk process runs now and then, flagging conditions that began in the past.
        if (i % 5 === 4) await new ChurnRiskProcess(h.store, liveDb, DEFAULT_CHURN_RULES, { clock: () => new Date('2026-12-01T00:00:00Z') }).runOnce();
        await live.catchUp();
      }
      expect((await h.store.readAll({ after: 0, limit: 1_000_000 })).filter((e) => e.type === 'ChurnRiskFlagged').length).toBeGreaterThan(5);
      const liveDump = await dumpReadModels(liveDb, live.projections);
      expect(liveDump).toContain('jm_comments');
      expect(JSON.parse(liveDump).jm_comments.length).toBeGreaterThan(0);
      expect(JSON.parse(liveDump).jm_touchpoint_stages.length).toBeGreaterThan(5);

      const rebuiltDb = h.readModels('rebuilt.db');
      const rebuilt = new Projector(h.store, rebuiltDb, journeylineProjections(h.store, 'Asia/Ho_Chi_Minh'), { readSize: 17 });
      await rebuilt.rebuild(undefined, { batchSize: 100_000 });
      expect(await dumpReadModels(rebuiltDb, rebuilt.projections)).toBe(liveDump);
    });
  });

  it('a crash between the read-model write and the checkpoint applies nothing twice and skips nothing', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 60, seed: 3 })) await h.record(journey);
      const db = h.readModels('crashy.db');
      await expectCrashBeforeCheckpointHarmless(h.store, db, h.readModels('clean.db'), () => projections(h.store));
    });
  });

  it('the same batch applied twice changes nothing: the journey map by itself, every projection through the runtime checkpoint', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 30, seed: 5 })) await h.record(journey);
      const db = h.readModels();
      await expectEachBatchAppliedOnce(h.store, db, () => projections(h.store));
    });
  });

  it('a projection whose version changed is rebuilt on start', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 10, seed: 9 })) await h.record(journey);
      const db = h.readModels();
      await new Projector(h.store, db, projections(h.store)).catchUp();
      const before = await dumpReadModels(db, projections(h.store));
      const utc = new Projector(h.store, db, [new JourneyMapProjection(h.store, 'UTC'), new CxMetricsProjection('UTC')]);
      await utc.catchUp();
      expect((await utc.progress()).map((p) => p.position)).toEqual([await h.store.headPosition(), await h.store.headPosition()]);
      expect(await dumpReadModels(db, utc.projections)).not.toBe(before);
    });
  });

  it('a rebuild replays without the query indexes and creates them at the end; a start creates them', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 20, seed: 4 })) await h.record(journey);
      const db = h.readModels();
      // its own connection, read synchronously inside the projector's transaction (WAL: it sees what is committed)
      const observer = new BetterSqlite3(path.join(h.dir, 'read-models.db'), { readonly: true });
      const indexes = () =>
        observer
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'jm_%' AND sql IS NOT NULL ORDER BY name`)
          .pluck()
          .all() as string[];
      const journeyMap = new JourneyMapProjection(h.store, 'UTC');
      // the merges' index serves the replay itself (a merge regroups a person), so it is there throughout
      const always = ['jm_merges_into'];
      const expected = [...always, ...journeyMap.queryIndexes.map((sql) => /EXISTS (\w+)/.exec(sql)![1])].sort();
      try {
        await new Projector(h.store, db, [journeyMap]).init();
        expect(indexes()).toEqual(expected);

        const during: string[][] = [];
        const rebuilding = new Projector(h.store, db, [journeyMap], { beforeCheckpoint: () => void during.push(indexes()) });
        await rebuilding.rebuild(undefined, { batchSize: 50 });
        expect(during.length).toBeGreaterThan(1);
        expect(during.every((names) => names.join() === always.join())).toBe(true);
        expect(indexes()).toEqual(expected);
      } finally {
        observer.close();
      }
    });
  });

  it('sizes each transaction by how far behind the log it is: what is there (up to its most) while following, long ones when far behind', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const sizes: number[] = [];
      const options = {
        batchSize: 100,
        maxFollowBatchSize: 1000,
        catchUpBatchSize: 3000,
        beforeCheckpoint: (read: readonly unknown[]) => sizes.push(read.length),
      };
      const projector = new Projector(h.store, h.readModels(), projections(h.store), options);
      const appendNoise = (count: number) =>
        h.store.append([
          {
            streamId: `noise-${sizes.length}-${count}`,
            expectedRevision: 'any',
            events: Array.from({ length: count }, (_, i) => ({
              type: 'test.noise',
              eventId: `noise-${Date.now()}-${Math.random()}-${i}`,
              occurredAt: '2026-01-01T00:00:00.000Z',
              data: {},
            })),
          },
        ]);
      await projector.init();

      await appendNoise(30); // fewer than batchSize: one transaction of what is there
      expect(await projector.catchUp()).toBe(30);
      expect(sizes.splice(0)).toEqual([30]);

      await appendNoise(700); // a burst: one transaction for all of it, not seven of batchSize
      expect(await projector.catchUp()).toBe(700);
      expect(sizes.splice(0)).toEqual([700]);

      await appendNoise(2500); // ahead by more than the most while following: that most, then the rest
      expect(await projector.catchUp()).toBe(2500);
      expect(sizes.splice(0)).toEqual([1000, 1000, 500]);

      await appendNoise(7000); // far behind: catch-up transactions
      expect(await projector.catchUp()).toBe(7000);
      expect(sizes.splice(0)).toEqual([3000, 3000, 1000]);

      // a given batch size is kept (a rebuild, a test's small batches), and so is an explicit batchSize's limit
      const small = new Projector(h.store, h.readModels('small.db'), projections(h.store), { batchSize: 4000, beforeCheckpoint: options.beforeCheckpoint });
      await small.init();
      expect(await small.catchUp()).toBe(10_230);
      expect(sizes.splice(0)).toEqual([4000, 4000, 2230]);
    });
  });

  it('a long catch-up lets timers and signal handlers run between transactions, so stop() from one takes effect', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 150, seed: 8 })) await h.record(journey);
      const head = await h.store.headPosition();
      const projector = new Projector(h.store, h.readModels(), projections(h.store));
      await projector.init();
      setTimeout(() => void projector.stop(), 0);
      const applied = await projector.rebuild(undefined, { batchSize: 20 });
      expect(applied).toBeGreaterThan(0);
      expect(applied).toBeLessThan(head);
    });
  });
});
