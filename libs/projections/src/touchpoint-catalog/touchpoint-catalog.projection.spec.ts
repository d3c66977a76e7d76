/** The touchpoint catalog: versions in their own stream, the tp_catalog read model, "new" touchpoints, and metrics grouped by type and owner. */
import { TOUCHPOINTS_STREAM, type CustomerCommand } from '@journeyline/journey';
import { dumpReadModels, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { resolveWindow } from '../cx-metrics/metric-window';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { Projector } from '../runtime/projector';
import { queryCatalogMetrics } from './catalog-metrics.queries';
import { TouchpointCatalogProjection } from './touchpoint-catalog.projection';
import { catalogEntries, ownerOf, touchpointCatalog } from './touchpoint-catalog.queries';
import { TouchpointInputError, TouchpointRegistry } from './touchpoint-registry';

const ZONE = 'Asia/Ho_Chi_Minh';
const admin = { keyId: null, name: 'spec' };
const define = (owner: string, experienceType: string, stage = 'use') => ({
  names: { vi: 'Điểm', en: 'Point' },
  channel: 'phone',
  stage,
  owner,
  experienceType,
});

let n = 0;
const nps = (customerId: string, touchpoint: string | undefined, score: number): CustomerCommand => ({
  type: 'RecordFeedback',
  eventId: `f-${++n}`,
  customerId,
  occurredAt: '2026-11-10T03:00:00.000Z',
  data: { kind: 'nps', score, scale: '0-10', ...(touchpoint ? { touchpoint } : {}) },
});
const visit = (customerId: string, touchpoint: string): CustomerCommand => ({
  type: 'RecordTouchpointVisit',
  eventId: `v-${++n}`,
  customerId,
  occurredAt: '2026-11-10T02:00:00.000Z',
  data: { touchpoint, channel: 'web', stage: 'evaluation' },
});

const WINDOW = resolveWindow({ from: '2026-11-01', to: '2026-12-01', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date('2026-12-01T00:00:00Z') });

describe('the touchpoint catalog', () => {
  it('registers versions, lists registered and new touchpoints, and keeps only the latest version in tp_catalog', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const registry = new TouchpointRegistry(h.store);
      expect((await registry.register('hotline', define('cskh', 'feel'), admin)).entry).toMatchObject({ version: 1, owner: 'cskh', registeredBy: 'spec' });
      expect((await registry.register('hotline', define('cskh', 'feel'), admin)).changed).toBe(false);
      expect((await registry.register('hotline', define('support', 'feel'), admin)).entry.version).toBe(2);
      await expect(registry.register('hotline', define('', 'smell'), admin)).rejects.toThrow(TouchpointInputError);
      expect((await registry.history('hotline')).map((v) => [v.version, v.owner])).toEqual([
        [1, 'cskh'],
        [2, 'support'],
      ]);
      // a second registry (another process) sees the same stream and takes the next version
      expect((await new TouchpointRegistry(h.store).register('hotline', define('cskh', 'think'), admin)).entry.version).toBe(3);

      await h.record([visit('c-1', 'web:pricing'), nps('c-2', 'zalo-oa', 9)]);
      const db = h.readModels();
      const projections = () => [new JourneyMapProjection(h.store, ZONE), new CxMetricsProjection(ZONE), new TouchpointCatalogProjection()];
      await new Projector(h.store, db, projections(), { batchSize: 1 }).catchUp();
      expect(await catalogEntries(db.reader)).toEqual([expect.objectContaining({ touchpoint: 'hotline', owner: 'cskh', experienceType: 'think', version: 3 })]);
      expect(await ownerOf(db.reader, 'hotline')).toBe('cskh');
      expect(await ownerOf(db.reader, 'web:pricing')).toBeNull();
      expect((await touchpointCatalog(db.reader)).map((item) => [item.touchpoint, item.status, item.channel, item.stage])).toEqual([
        ['hotline', 'registered', 'phone', 'use'],
        ['web:pricing', 'new', 'web', 'evaluation'],
        ['zalo-oa', 'new', null, null],
      ]);

      // applying the records again (or an older version after a newer one) changes nothing; a rebuild equals the live result
      const catalog = new TouchpointCatalogProjection();
      const before = await dumpReadModels(db, [catalog]);
      const records = await h.store.readStream(TOUCHPOINTS_STREAM);
      await db.transaction((tx) => catalog.applyRecords([...records].reverse(), tx));
      expect(await dumpReadModels(db, [catalog])).toBe(before);
      const rebuilt = h.readModels('rebuilt.db');
      await new Projector(h.store, rebuilt, projections(), { batchSize: 1000 }).catchUp();
      expect(await dumpReadModels(rebuilt, [catalog])).toBe(before);
    });
  });

  it('NPS by experience type and by owner is the NPS of the union of their touchpoints; unregistered ones are unclassified', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const registry = new TouchpointRegistry(h.store);
      await registry.register('hotline', define('cskh', 'feel'), admin);
      await registry.register('zalo-oa', define('cskh', 'feel'), admin);
      await registry.register('web:pricing', define('marketing', 'think', 'evaluation'), admin);
      // hotline: 9, 10, 3 — zalo-oa: 6, 8 — union: 2 promoters, 1 passive, 2 detractors of 5 → NPS 0
      // web:pricing: 10 → 100; store:hcm-q1 (unregistered): 2 → −100; an answer without touchpoint is in no group
      await h.record([nps('c-1', 'hotline', 9), nps('c-1', 'hotline', 10), nps('c-2', 'hotline', 3)]);
      await h.record([
        nps('c-3', 'zalo-oa', 6),
        nps('c-3', 'zalo-oa', 8),
        nps('c-4', 'web:pricing', 10),
        nps('c-5', 'store:hcm-q1', 2),
        nps('c-6', undefined, 0),
      ]);
      const db = h.readModels();
      await new Projector(h.store, db, [new CxMetricsProjection(ZONE), new TouchpointCatalogProjection()]).catchUp();
      const byType = await queryCatalogMetrics(db.reader, 'nps', 'experienceType', WINDOW, 3);
      expect(byType.map((r) => [r.key, r.value, r.n, r.promoters, r.passives, r.detractors, r.meaningful])).toEqual([
        ['feel', 0, 5, 2, 1, 2, true],
        ['think', 100, 1, 1, 0, 0, false],
        ['unclassified', -100, 1, 0, 0, 1, false],
      ]);
      const byOwner = await queryCatalogMetrics(db.reader, 'nps', 'owner', WINDOW, 3);
      expect(byOwner.map((r) => [r.key, r.value, r.n])).toEqual([
        ['cskh', 0, 5],
        ['marketing', 100, 1],
        ['unclassified', -100, 1],
      ]);
    });
  });
});
