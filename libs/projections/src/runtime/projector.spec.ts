import { generateJourneys } from '@journeyline/ingestion';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { dumpReadModels, interleavedJourneys, sqliteHarness } from '../testing/projection-harness';
import { Projector } from './projector';

const projections = () => [new JourneyMapProjection(), new CxMetricsProjection('Asia/Ho_Chi_Minh')];

describe('projector runtime', () => {
  it('a rebuild equals the live result byte for byte on generated data (with late events)', async () => {
    const h = sqliteHarness();
    try {
      const liveDb = h.readModels('live.db');
      const live = new Projector(h.store, liveDb, projections(), { batchSize: 7 });
      await live.init();
      for (const batch of interleavedJourneys(120, 7)) {
        await h.record(batch);
        await live.catchUp();
      }
      const rebuiltDb = h.readModels('rebuilt.db');
      const rebuilt = new Projector(h.store, rebuiltDb, projections());
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

  it('a crash between the read-model write and the checkpoint applies nothing twice and skips nothing', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 60, seed: 3 })) await h.record(journey);
      const db = h.readModels('crashy.db');
      let batches = 0;
      const crashing = new Projector(h.store, db, projections(), {
        batchSize: 50,
        beforeCheckpoint: () => {
          if (++batches === 4) throw new Error('simulated crash');
        },
      });
      await expect(crashing.catchUp()).rejects.toThrow('simulated crash');
      const progress = await crashing.progress();
      expect(progress.every((p) => p.position === progress[0].position && p.position > 0)).toBe(true);

      const restarted = new Projector(h.store, db, projections(), { batchSize: 50 });
      await restarted.catchUp();
      const clean = h.readModels('clean.db');
      const rebuilt = new Projector(h.store, clean, projections());
      await rebuilt.rebuild();
      expect(await dumpReadModels(db, restarted.projections)).toBe(await dumpReadModels(clean, rebuilt.projections));
    } finally {
      await h.close();
    }
  });

  it('the same batch applied twice changes nothing', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 30, seed: 5 })) await h.record(journey);
      const db = h.readModels();
      const all = projections();
      const events = await h.store.readAll({ after: 0, limit: 100_000 });
      await db.transaction(async (tx) => {
        for (const p of all) await p.setup(tx);
      });
      for (const p of all) await db.transaction((tx) => p.apply(events, tx));
      const once = await dumpReadModels(db, all);
      for (const p of all) await db.transaction((tx) => p.apply(events, tx));
      for (const p of all) await db.transaction((tx) => p.apply(events.slice(10, 40), tx));
      expect(await dumpReadModels(db, all)).toBe(once);
    } finally {
      await h.close();
    }
  });

  it('a projection whose version changed is rebuilt on start', async () => {
    const h = sqliteHarness();
    try {
      for (const journey of generateJourneys({ customers: 10, seed: 9 })) await h.record(journey);
      const db = h.readModels();
      await new Projector(h.store, db, projections()).catchUp();
      const before = await dumpReadModels(db, projections());
      const utc = new Projector(h.store, db, [new JourneyMapProjection(), new CxMetricsProjection('UTC')]);
      await utc.catchUp();
      expect((await utc.progress()).map((p) => p.position)).toEqual([await h.store.headPosition(), await h.store.headPosition()]);
      expect(await dumpReadModels(db, utc.projections)).not.toBe(before);
    } finally {
      await h.close();
    }
  });
});
