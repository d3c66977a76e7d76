/** The Segment source's unmapped list: records outside the journey, folded by the runtime; idempotent, rebuilt equal, a malformed record parked. */
import type { NewEvent } from '@journeyline/event-store';
import { SEGMENT_UNMAPPED_STREAM, SEGMENT_UNMAPPED_TYPE } from '@journeyline/segment';
import { dumpReadModels, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { parkedEvents } from '../runtime/parked-events';
import { Projector } from '../runtime/projector';
import { SegmentUnmappedProjection } from './segment-unmapped.projection';
import { listSegmentUnmapped } from './segment-unmapped.queries';

const record = (messageId: string | null, eventId: string, items: { kind: string; name: string; reason?: string }[]): NewEvent => ({
  eventId,
  type: SEGMENT_UNMAPPED_TYPE,
  occurredAt: '2026-11-20T02:00:00.000Z',
  data: { messageType: 'track', messageId, items: items.map((i) => ({ reason: 'no rule', ...i })) },
});

const RECORDS = [
  record('m-1', 'segment m:m-1 unmapped', [{ kind: 'track', name: 'Clicked' }]),
  record('m-2', 'segment m:m-2 unmapped', [{ kind: 'track', name: 'Clicked', reason: 'still no rule' }]),
  record(null, 'segment h:abc unmapped', [
    { kind: 'identify', name: 'plan' },
    { kind: 'identify', name: 'plan' }, // once per message
    { kind: 'identify', name: 'constructor' },
  ]),
  record('m-4', 'segment m:m-4 unmapped', [{ kind: 'page', name: '/blog' }]),
];

describe('the segment-unmapped read model', () => {
  it('counts messages by kind and name, most frequent first, with first and last seen, an example messageId and the latest reason', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const event of RECORDS) await h.store.append([{ streamId: SEGMENT_UNMAPPED_STREAM, expectedRevision: 'any', events: [event] }]);
      const db = h.readModels();
      await new Projector(h.store, db, [new SegmentUnmappedProjection()], { batchSize: 3 }).catchUp();
      const stored = await h.store.readStream(SEGMENT_UNMAPPED_STREAM);
      const page = await listSegmentUnmapped(db.reader, { limit: 10 });
      expect(page).toEqual({
        items: [
          {
            kind: 'track',
            name: 'Clicked',
            count: 2,
            firstSeen: stored[0].recordedAt,
            lastSeen: stored[1].recordedAt,
            exampleMessageId: 'm-1',
            reason: 'still no rule',
          },
          {
            kind: 'identify',
            name: 'constructor',
            count: 1,
            firstSeen: stored[2].recordedAt,
            lastSeen: stored[2].recordedAt,
            exampleMessageId: null,
            reason: 'no rule',
          },
          {
            kind: 'identify',
            name: 'plan',
            count: 1,
            firstSeen: stored[2].recordedAt,
            lastSeen: stored[2].recordedAt,
            exampleMessageId: null,
            reason: 'no rule',
          },
          {
            kind: 'page',
            name: '/blog',
            count: 1,
            firstSeen: stored[3].recordedAt,
            lastSeen: stored[3].recordedAt,
            exampleMessageId: 'm-4',
            reason: 'no rule',
          },
        ],
      });
      const first = await listSegmentUnmapped(db.reader, { limit: 2 });
      const rest = await listSegmentUnmapped(db.reader, { limit: 10, after: first.next });
      expect([...first.items, ...rest.items]).toEqual(page.items);
    });
  });

  it('applying the same records twice counts them once; a rebuild equals the live result', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.store.append([{ streamId: SEGMENT_UNMAPPED_STREAM, expectedRevision: 'any', events: RECORDS }]);
      const projection = new SegmentUnmappedProjection();
      const live = h.readModels('live.db');
      await new Projector(h.store, live, [projection], { batchSize: 1 }).catchUp();
      const before = await dumpReadModels(live, [projection]);
      const records = await h.store.readStream(SEGMENT_UNMAPPED_STREAM);
      await live.transaction((tx) => projection.applyRecords(records, tx));
      expect(await dumpReadModels(live, [projection])).toBe(before);

      const rebuilt = h.readModels('rebuilt.db');
      await new Projector(h.store, rebuilt, [new SegmentUnmappedProjection()]).rebuild();
      expect(await dumpReadModels(rebuilt, [projection])).toBe(before);
    });
  });

  it('a record it cannot read is parked, and the rest still counted', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const malformed: NewEvent = {
        ...record('m-x', 'segment m:m-x unmapped', []),
        data: { messageType: 'track', messageId: 'm-x', items: [{ kind: 'toString', name: 1 }] },
      };
      await h.store.append([{ streamId: SEGMENT_UNMAPPED_STREAM, expectedRevision: 'any', events: [RECORDS[0], malformed, RECORDS[1]] }]);
      const db = h.readModels();
      await new Projector(h.store, db, [new SegmentUnmappedProjection()]).catchUp();
      expect((await parkedEvents(db.reader, 'segment-unmapped')).map((p) => p.eventId)).toEqual(['segment m:m-x unmapped']);
      expect((await listSegmentUnmapped(db.reader, { limit: 10 })).items.map((i) => [i.name, i.count])).toEqual([['Clicked', 2]]);
    });
  });
});
