import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { ChurnRiskProcess } from '../churn-risk/churn-risk.process';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { journeylineProjections } from '../journeyline-projections';
import { Projector, type ProjectorProgress } from '../runtime/projector';
import { dumpReadModels, interleavedJourneys, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { rebuildInParallel } from './parallel-rebuild';
import type { SqliteReadModelDatabase } from './sqlite-read-model-database';

const ZONE = 'Asia/Ho_Chi_Minh';

/** A log with journeys, late arrivals and churn-risk flags, followed live in small batches. */
async function liveReadModels() {
  const h = sqliteHarness();
  const db = h.readModels() as SqliteReadModelDatabase;
  const live = new Projector(h.store, db, journeylineProjections(h.store, ZONE), { batchSize: 13 });
  for (const [i, batch] of interleavedJourneys(80, 5).entries()) {
    await h.record(batch);
    if (i % 5 === 4) await new ChurnRiskProcess(h.store, db, DEFAULT_CHURN_RULES, { clock: () => new Date('2026-12-01T00:00:00Z') }).runOnce();
    await live.catchUp();
  }
  const dump = await dumpReadModels(db, live.projections);
  return { h, db, dump, eventsFile: path.join(h.dir, 'journeyline.db') };
}

/** What a parallel rebuild leaves beside the read models (nothing, once done). */
const sideFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.includes('.rebuild'));

describe('parallel rebuild (SQLite, a worker thread for all but the journey map)', () => {
  it('equals the live read models byte for byte, creates the query indexes and leaves no side file', async () => {
    const { h, db, dump, eventsFile } = await liveReadModels();
    try {
      expect(JSON.parse(dump).churn_risk_flags.length).toBeGreaterThan(3);
      const projector = new Projector(h.store, db, journeylineProjections(h.store, ZONE));
      const seen: ProjectorProgress[][] = [];
      const applied = await rebuildInParallel(projector, db, { eventsFile, timeZone: ZONE, batchSize: 500, onProgress: (p) => seen.push(p) });
      expect(applied).toBe(await h.store.headPosition());
      expect(await dumpReadModels(db, projector.projections)).toBe(dump);
      // progress came from both threads, and names every rebuilt projection
      expect(new Set(seen.flat().map((p) => p.projection))).toEqual(new Set(projector.projections.map((p) => p.name)));
      const indexes = await db.reader.all<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'churn_risk_flags_rule'`);
      expect(indexes).toHaveLength(1);
      expect(sideFiles(h.dir)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('keeps answering from the old tables of the projections rebuilt aside until they are moved in', async () => {
    const { h, db, eventsFile } = await liveReadModels();
    try {
      const buckets = async () => (await db.reader.get<{ n: number }>('SELECT count(*) AS n FROM cx_buckets'))!.n;
      const before = await buckets();
      expect(before).toBeGreaterThan(0);
      const during: number[] = [];
      const projector = new Projector(h.store, db, journeylineProjections(h.store, ZONE));
      await rebuildInParallel(projector, db, {
        eventsFile,
        timeZone: ZONE,
        batchSize: 300,
        onProgress: () => void buckets().then((n) => during.push(n)),
      });
      expect(during.length).toBeGreaterThan(2);
      expect(during.every((n) => n === before)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('interrupted, it keeps what both threads committed, and a catch-up then equals the live result', async () => {
    const { h, db, dump, eventsFile } = await liveReadModels();
    try {
      const head = await h.store.headPosition();
      let reports = 0;
      const projector = new Projector(h.store, db, journeylineProjections(h.store, ZONE));
      const applied = await rebuildInParallel(projector, db, {
        eventsFile,
        timeZone: ZONE,
        batchSize: 50,
        onProgress: () => void reports++,
        stopped: () => reports >= 2,
      });
      expect(applied).toBeLessThan(head);
      const progress = await projector.progress();
      expect(Math.min(...progress.map((p) => p.position))).toBeLessThan(head);
      // the worker's progress was moved in with its tables: not back to zero, not at the head
      const cx = progress.find((p) => p.projection === 'cx-metrics')!;
      expect(cx.position).toBeGreaterThan(0);
      expect(cx.position).toBeLessThan(head);

      const resumed = new Projector(h.store, db, journeylineProjections(h.store, ZONE));
      await resumed.catchUp(1000);
      expect(await dumpReadModels(db, resumed.projections)).toBe(dump);
      expect(sideFiles(h.dir)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('refuses to move in projections the worker built at another version, and leaves the old ones', async () => {
    const { h, db, eventsFile } = await liveReadModels();
    try {
      // this projector counts days in UTC; the worker is told Ho Chi Minh City
      const utc = [new JourneyMapProjection(h.store, 'UTC'), new CxMetricsProjection('UTC')];
      await new Projector(h.store, db, utc).catchUp();
      const before = await dumpReadModels(db, [utc[1]]);
      await expect(rebuildInParallel(new Projector(h.store, db, utc), db, { eventsFile, timeZone: ZONE })).rejects.toThrow(
        /cx-metrics was rebuilt at version \d+:Asia\/Ho_Chi_Minh, this projector runs \d+:UTC/,
      );
      expect(await dumpReadModels(db, [utc[1]])).toBe(before);
      expect(sideFiles(h.dir)).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
