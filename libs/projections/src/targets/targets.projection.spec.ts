/** The targets read model: targets set, replaced and removed, folded from their stream; applying twice changes nothing. */
import { TARGETS_STREAM } from '@journeyline/journey';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { Projector } from '../runtime/projector';
import { TargetsProjection } from './targets.projection';
import { activeTargets } from './targets.queries';

const record = (eventId: string, type: string, data: Record<string, unknown>) => ({ eventId, type, occurredAt: '2026-11-20T02:00:00.000Z', data });

describe('the targets read model', () => {
  it('holds the targets in force, and the same after applying the records again', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const records = [
        record('e1', 'TargetSet', { targetId: 'a', metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, min: 80 }),
        record('e2', 'TargetSet', { targetId: 'b', metric: 'ttr', scope: { kind: 'all', value: null }, max: 4 }),
        record('e3', 'TargetSet', { targetId: 'c', metric: 'nps', scope: { kind: 'owner', value: 'cskh' }, min: 30 }),
        record('e4', 'TargetRemoved', { targetId: 'c' }),
        record('e5', 'TargetSet', { targetId: 'a', metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, min: 85 }),
      ];
      for (const event of records) await h.store.append([{ streamId: TARGETS_STREAM, expectedRevision: 'any', events: [event] }]);
      const db = h.readModels();
      const projection = new TargetsProjection();
      await new Projector(h.store, db, [projection], { batchSize: 2 }).catchUp();
      const expected = [
        { targetId: 'a', metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, min: 85 },
        { targetId: 'b', metric: 'ttr', scope: { kind: 'all', value: null }, max: 4 },
      ];
      expect(await activeTargets(db.reader)).toEqual(expected);
      const stored = await h.store.readStream(TARGETS_STREAM);
      await db.transaction((tx) => projection.applyRecords(stored, tx));
      expect(await activeTargets(db.reader)).toEqual(expected);
    });
  });

  it('answers no targets before the projection has run', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      expect(await activeTargets(h.readModels().reader)).toEqual([]);
    });
  });
});
