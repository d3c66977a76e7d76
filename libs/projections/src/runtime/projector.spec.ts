import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { EventStore } from '@journeyline/event-store';
import { generateJourneys } from '@journeyline/demo';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { dumpReadModels, interleavedJourneys, projected, sqliteHarness } from '@journeyline/projections/testing/projection-harness';
import { ChurnRiskProcess } from '../churn-risk/churn-risk.process';
import { journeylineProjections } from '../journeyline-projections';
import { Projector } from './projector';

const projections = (store: Pick<EventStore, 'readStream'>) => [new JourneyMapProjection(store), new CxMetricsProjection('Asia/Ho_Chi_Minh')];

describe('projector runtime', () => {
  it('a rebuild equals the live result byte for byte on generated data (with late events)', async () => {
    const h = sqliteHarness();
    try {
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
    } finally {
      await h.close();
    }
  });

  it('a transaction spanning many reads of the log, with churn-risk flags dated before later events, equals the live result', async () => {
    const h = sqliteHarness();
    try {
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
    } finally {
      await h.close();
    }
  });

  it('a crash between the read-model write and the checkpoint applies nothing twice and skips nothing', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 60, seed: 3 })) await h.record(journey);
      const db = h.readModels('crashy.db');
      let batches = 0;
      const crashing = new Projector(h.store, db, projections(h.store), {
        batchSize: 50,
        beforeCheckpoint: () => {
          if (++batches === 4) throw new Error('simulated crash');
        },
      });
      await expect(crashing.catchUp()).rejects.toThrow('simulated crash');
      const progress = await crashing.progress();
      expect(progress.every((p) => p.position === progress[0].position && p.position > 0)).toBe(true);

      const restarted = new Projector(h.store, db, projections(h.store), { batchSize: 50 });
      await restarted.catchUp();
      const clean = h.readModels('clean.db');
      const rebuilt = new Projector(h.store, clean, projections(h.store));
      await rebuilt.rebuild();
      expect(await dumpReadModels(db, restarted.projections)).toBe(await dumpReadModels(clean, rebuilt.projections));
    } finally {
      await h.close();
    }
  });

  it('the same batch applied twice changes nothing: the journey map by itself, every projection through the runtime checkpoint', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 30, seed: 5 })) await h.record(journey);
      const db = h.readModels();
      const all = projections(h.store);
      const events = projected(await h.store.readAll({ after: 0, limit: 100_000 }));
      // the journey map keeps, per customer, the last position folded into its row
      const journeyMap = all.find((p) => p.name === 'journey-map')!;
      await db.transaction((tx) => journeyMap.setup(tx));
      await db.transaction((tx) => journeyMap.apply(events, tx));
      const once = await dumpReadModels(db, [journeyMap]);
      await db.transaction((tx) => journeyMap.apply(events, tx));
      await db.transaction((tx) => journeyMap.apply(events.slice(10, 40), tx));
      expect(await dumpReadModels(db, [journeyMap])).toBe(once);
      // what has been applied is the runtime's checkpoint alone: asked again, in this process or another, it applies nothing
      const runtime = new Projector(h.store, db, all);
      await runtime.rebuild();
      const caughtUp = await dumpReadModels(db, all);
      expect(await runtime.catchUp()).toBe(0);
      expect(await runtime.applyNextBatch(1000)).toBe(0);
      expect(await new Projector(h.store, db, projections(h.store)).catchUp()).toBe(0);
      expect(await dumpReadModels(db, all)).toBe(caughtUp);
    } finally {
      await h.close();
    }
  });

  it('a projection whose version changed is rebuilt on start', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 10, seed: 9 })) await h.record(journey);
      const db = h.readModels();
      await new Projector(h.store, db, projections(h.store)).catchUp();
      const before = await dumpReadModels(db, projections(h.store));
      const utc = new Projector(h.store, db, [new JourneyMapProjection(h.store), new CxMetricsProjection('UTC')]);
      await utc.catchUp();
      expect((await utc.progress()).map((p) => p.position)).toEqual([await h.store.headPosition(), await h.store.headPosition()]);
      expect(await dumpReadModels(db, utc.projections)).not.toBe(before);
    } finally {
      await h.close();
    }
  });

  it('a rebuild replays without the query indexes and creates them at the end; a start creates them', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 20, seed: 4 })) await h.record(journey);
      const db = h.readModels();
      // its own connection, read synchronously inside the projector's transaction (WAL: it sees what is committed)
      const observer = new BetterSqlite3(path.join(h.dir, 'read-models.db'), { readonly: true });
      const indexes = () =>
        observer
          .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name LIKE 'jm_%' AND sql IS NOT NULL ORDER BY name`)
          .pluck()
          .all() as string[];
      const journeyMap = new JourneyMapProjection(h.store);
      const expected = journeyMap.queryIndexes.map((sql) => /EXISTS (\w+)/.exec(sql)![1]).sort();
      try {
        await new Projector(h.store, db, [journeyMap]).init();
        expect(indexes()).toEqual(expected);

        const during: string[][] = [];
        const rebuilding = new Projector(h.store, db, [journeyMap], { beforeCheckpoint: () => void during.push(indexes()) });
        await rebuilding.rebuild(undefined, { batchSize: 50 });
        expect(during.length).toBeGreaterThan(1);
        expect(during.every((names) => names.length === 0)).toBe(true);
        expect(indexes()).toEqual(expected);
      } finally {
        observer.close();
      }
    } finally {
      await h.close();
    }
  });

  it('a long catch-up lets timers and signal handlers run between transactions, so stop() from one takes effect', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 150, seed: 8 })) await h.record(journey);
      const head = await h.store.headPosition();
      const projector = new Projector(h.store, h.readModels(), projections(h.store));
      await projector.init();
      setTimeout(() => void projector.stop(), 0);
      const applied = await projector.rebuild(undefined, { batchSize: 20 });
      expect(applied).toBeGreaterThan(0);
      expect(applied).toBeLessThan(head);
    } finally {
      await h.close();
    }
  });
});
