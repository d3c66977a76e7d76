import { generateJourneys } from '@journeyline/demo';
import { Projector } from '../runtime/projector';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { CxMetricsProjection } from './cx-metrics.projection';
import { queryMetrics } from './cx-metrics.queries';
import { resolveWindow } from './metric-window';
import { MetricsCache } from './metrics-cache';

describe('metric answers cache', () => {
  const ZONE = 'Asia/Ho_Chi_Minh';
  const window = resolveWindow({ from: '2020-01-01', to: '2030-01-01', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() });

  it('computes an answer once while the metrics read model stays at one position, and again once it moves', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const db = h.readModels();
      const journeys = [...generateJourneys({ customers: 40, seed: 4 })];
      const cache = new MetricsCache(db.reader);
      let computed = 0;
      const nps = () =>
        cache.get('nps-by-touchpoint', async () => {
          computed++;
          return queryMetrics(db.reader, 'nps', 'all', window, 1);
        });

      // No metrics table yet: answers are computed every time, never kept.
      await cache.get('early', async () => ++computed);
      await cache.get('early', async () => ++computed);
      expect(computed).toBe(2);

      for (const journey of journeys.slice(0, 20)) await h.record(journey);
      const projector = new Projector(h.store, db, [new CxMetricsProjection(ZONE)]);
      await projector.catchUp();
      const first = await nps();
      expect(await nps()).toBe(first);
      expect(computed).toBe(3);
      const [a, b] = await Promise.all([cache.get('other', async () => ++computed), cache.get('other', async () => ++computed)]);
      expect(a).toBe(b);
      expect(computed).toBe(4);

      for (const journey of journeys.slice(20)) await h.record(journey);
      await projector.catchUp();
      const second = await nps();
      expect(computed).toBe(5);
      expect(second[0].n).toBeGreaterThan(first[0].n);
      expect(second).toEqual(await queryMetrics(db.reader, 'nps', 'all', window, 1));
    });
  });

  it('forgets a failed computation and the least recently used answers past its capacity', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const db = h.readModels();
      await new Projector(h.store, db, [new CxMetricsProjection(ZONE)]).init();
      const cache = new MetricsCache(db.reader, 2);
      await expect(cache.get('k', async () => Promise.reject(new Error('database busy')))).rejects.toThrow('database busy');
      expect(await cache.get('k', async () => 'fine')).toBe('fine');
      await cache.get('a', async () => 'a');
      await cache.get('k', async () => 'k again'); // touching k makes a the oldest
      await cache.get('b', async () => 'b');
      expect(await cache.get('k', async () => 'recomputed')).toBe('fine');
      expect(await cache.get('a', async () => 'recomputed')).toBe('recomputed');
    });
  });
});
