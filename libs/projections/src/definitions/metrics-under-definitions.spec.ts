/** Metric answers under versioned parameters, from what the read models store: score counts equal the folded buckets, cuts equal single dimensions. */
import { generateJourneys } from '@journeyline/demo';
import { BUILT_IN_SCORE_CLASSES, type ScoreClasses } from '@journeyline/journey';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { CxCutsProjection } from '../cx-cuts/cx-cuts.projection';
import { cutSeries, queryCutMetrics } from '../cx-cuts/cx-cuts.queries';
import { CxMetricsProjection, DIMENSIONS } from '../cx-metrics/cx-metrics.projection';
import { dailySeries, queryMetrics } from '../cx-metrics/cx-metrics.queries';
import { resolveWindow } from '../cx-metrics/metric-window';
import { metricsFromScoreCounts, seriesFromScoreCounts } from '../cx-metrics/score-count.queries';
import { Projector } from '../runtime/projector';
import { queryCatalogMetrics } from '../touchpoint-catalog/catalog-metrics.queries';
import { TouchpointCatalogProjection } from '../touchpoint-catalog/touchpoint-catalog.projection';

const ZONE = 'Asia/Ho_Chi_Minh';
const window = resolveWindow({ from: '2020-01-01', to: '2030-01-01', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() });
const STRICT: ScoreClasses = {
  nps: { promoterMin: 10, detractorMax: 5 },
  csat: { satisfiedMin: { '1-5': 5, '1-7': 7, '1-10': 10 } },
  ces: { easyMin: { '1-5': 5, '1-7': 7 }, hardMax: { '1-5': 1, '1-7': 3 } },
};
const CLASSIFIED = ['nps', 'csat', 'ces'] as const;

describe('metric answers under other parameters', () => {
  it('from the score counts: the built-in classes give exactly the folded rows; others change only what they define', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 60, seed: 18 })) await h.record(journey);
      const db = h.readModels();
      await new Projector(h.store, db, [new CxMetricsProjection(ZONE), new CxCutsProjection(ZONE)]).catchUp();
      for (const metric of CLASSIFIED) {
        for (const by of DIMENSIONS) {
          const folded = await queryMetrics(db.reader, metric, by, window, 5);
          expect(folded.length).toBeGreaterThan(0);
          expect(await metricsFromScoreCounts(db.reader, metric, by, window, 5, BUILT_IN_SCORE_CLASSES)).toEqual(folded);
          const strict = await queryMetrics(db.reader, metric, by, window, 5, undefined, undefined, STRICT);
          expect(strict.map((r) => [r.key, r.scale, r.n])).toEqual(folded.map((r) => [r.key, r.scale, r.n]));
        }
        const key = (await queryMetrics(db.reader, metric, 'touchpoint', window, 1))[0].key;
        expect(await seriesFromScoreCounts(db.reader, metric, 'touchpoint', key, window, 1, 7, BUILT_IN_SCORE_CLASSES)).toEqual(
          await dailySeries(db.reader, metric, 'touchpoint', key, window, 1, 7),
        );
      }
      const nps = await queryMetrics(db.reader, 'nps', 'all', window, 1);
      const strictNps = await queryMetrics(db.reader, 'nps', 'all', window, 1, undefined, undefined, STRICT);
      expect(strictNps[0].promoters).toBeLessThan(nps[0].promoters as number);
      expect(strictNps[0].detractors).toBeLessThan(nps[0].detractors as number);
      const csat = await queryMetrics(db.reader, 'csat', 'all', window, 1);
      const strictCsat = await queryMetrics(db.reader, 'csat', 'all', window, 1, undefined, undefined, STRICT);
      expect(strictCsat.map((r) => r.mean)).toEqual(csat.map((r) => r.mean));
      expect(strictCsat.every((r, i) => (r.satisfied as number) <= (csat[i].satisfied as number))).toBe(true);
      expect(strictCsat.some((r, i) => (r.satisfied as number) < (csat[i].satisfied as number))).toBe(true);
    });
  });

  it('cuts count each score too: a one-dimension cut under other classes equals that dimension from the score counts', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 40, seed: 7 })) await h.record(journey);
      const db = h.readModels();
      await new Projector(h.store, db, [new CxMetricsProjection(ZONE), new CxCutsProjection(ZONE), new TouchpointCatalogProjection()]).catchUp();
      for (const metric of CLASSIFIED) {
        for (const by of ['touchpoint', 'channel', 'stage'] as const) {
          const single = await queryMetrics(db.reader, metric, by, window, 3, undefined, undefined, STRICT);
          const cut = await queryCutMetrics(db.reader, metric, { by: [by], place: {} }, window, 3, STRICT);
          expect(cut.map(({ keys: _keys, ...row }) => row)).toEqual(single);
        }
        const all = await queryMetrics(db.reader, metric, 'all', window, 3, undefined, undefined, STRICT);
        expect(await queryCutMetrics(db.reader, metric, { by: [], place: {} }, window, 3, STRICT)).toEqual(all);
        const series = await cutSeries(db.reader, metric, { by: [], place: {} }, '*', window, 1, 1, STRICT);
        expect(series).toEqual(await dailySeries(db.reader, metric, 'all', '*', window, 1, 1, undefined, STRICT));
        // every touchpoint unregistered: one group, the sum of them all
        const grouped = await queryCatalogMetrics(db.reader, metric, 'owner', window, 3, STRICT);
        expect(grouped.map((r) => r.key)).toEqual(grouped.map(() => 'unclassified'));
        expect(grouped.reduce((n, r) => n + r.n, 0)).toEqual((await queryMetrics(db.reader, metric, 'touchpoint', window, 3)).reduce((n, r) => n + r.n, 0));
      }
    });
  });
});
