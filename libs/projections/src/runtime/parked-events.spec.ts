/**
 * One bad event never stops a projection for everyone: on a real SQLite store, events written
 * below validation (another tool, a bug, a hand edit) and an event a projection's own write
 * refuses are parked with their reason, and everything else is applied.
 */
import { StoreUnavailableError, type EventStore, type NewEvent } from '@journeyline/event-store';
import { generateJourneys } from '@journeyline/demo';
import { CxCutsProjection } from '../cx-cuts/cx-cuts.projection';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { journeylineProjections } from '../journeyline-projections';
import { dumpReadModels, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { parkedEvents, parkedSummary } from './parked-events';
import { Projector } from './projector';
import { StrictTouchpointsProjection } from '@journeyline/projections/testing/strict-touchpoints.projection';

const TZ = 'Asia/Ho_Chi_Minh';
const at = '2026-11-20T02:00:00.000Z';

/** Events no wire format would accept, appended straight to the store. */
const POISON: { streamId: string; event: NewEvent }[] = [
  { streamId: 'customer-poison', event: { eventId: 'p-constructor', type: 'TouchpointVisited', occurredAt: at, data: { constructor: 'x' } } },
  {
    streamId: 'customer-poison',
    event: { eventId: 'p-score', type: 'FeedbackGiven', occurredAt: at, data: { kind: 'nps', score: 'abc', scale: '0-10', touchpoint: 'hotline' } },
  },
  {
    streamId: 'customer-poison',
    event: { eventId: 'p-time', type: 'PurchaseMade', occurredAt: 'yesterday', data: { orderId: 'o', amount: 1, currency: 'VND' } },
  },
  { streamId: 'customer-poison', event: { eventId: 'p-ttr', type: 'TicketResolved', occurredAt: at, data: { ticketId: 't', openedAt: at } } },
  { streamId: 'customer-poison', event: { eventId: 'p-flag', type: 'ChurnRiskFlagged', occurredAt: at, data: { rule: 'r', reason: 'x', episodeId: 'e' } } },
  { streamId: 'customer-poison', event: { eventId: 'p-profile', type: 'CustomerProfiled', occurredAt: at, data: { segment: { nested: true } } } },
];

async function appendBelowValidation(store: EventStore, poison = POISON): Promise<void> {
  for (const { streamId, event } of poison) await store.append([{ streamId, expectedRevision: 'any', events: [event] }]);
}

describe('parked events', () => {
  it('a malformed event is parked for each projection that handles its type; every projection reaches the head, and a rebuild parks the same', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const journeys = [...generateJourneys({ customers: 40, seed: 12 })];
      for (const journey of journeys.slice(0, 20)) await h.record(journey);
      await appendBelowValidation(h.store);
      for (const journey of journeys.slice(20)) await h.record(journey);

      const db = h.readModels();
      const live = new Projector(h.store, db, journeylineProjections(h.store, TZ), { batchSize: 25 });
      await live.catchUp();
      const head = await h.store.headPosition();
      expect((await live.progress()).map((p) => p.position)).toEqual(live.projections.map(() => head));

      const parked: Record<string, string[]> = {};
      for (const { component } of await parkedSummary(db.reader)) parked[component] = (await parkedEvents(db.reader, component)).map((e) => e.eventId).sort();
      expect(parked).toEqual({
        'journey-map': ['p-constructor', 'p-flag', 'p-profile', 'p-score', 'p-time', 'p-ttr'],
        'cx-metrics': ['p-score', 'p-ttr'],
        'churn-risks': ['p-flag'],
        'survey-responses': ['p-score'],
        'customer-value': ['p-time'],
        'cx-cuts': ['p-profile', 'p-score', 'p-ttr'],
        'follow-ups': ['p-score'],
      });
      const [constructorPoison] = await parkedEvents(db.reader, 'journey-map');
      expect(constructorPoison).toMatchObject({
        eventId: 'p-constructor',
        type: 'TouchpointVisited',
        error: expect.stringContaining('data.touchpoint must be a non-empty string'),
      });

      // the customer list and metrics hold every good customer, including those after the poison
      const customers = await db.reader.all<{ customer_id: string }>('SELECT customer_id FROM jm_customers');
      expect(customers.map((c) => c.customer_id).sort()).toEqual(journeys.map((j) => j[0].customerId).sort());

      const rebuiltDb = h.readModels('rebuilt.db');
      const rebuilt = new Projector(h.store, rebuiltDb, journeylineProjections(h.store, TZ));
      await rebuilt.rebuild();
      expect(await dumpReadModels(rebuiltDb, rebuilt.projections)).toBe(await dumpReadModels(db, live.projections));
      expect(await parkedSummary(rebuiltDb.reader)).toEqual(
        (await parkedSummary(db.reader)).map((s) => ({ ...s, latest: s.latest.map((e) => ({ ...e, parkedAt: expect.any(String) })) })),
      );
    });
  });

  it('an answer whose portrait or place holds a NUL character (written below validation) is parked where it would make a bucket key; every other answer counts', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 10, seed: 5 })) await h.record(journey);
      const nps = (touchpoint: string) => ({ kind: 'nps', score: 9, scale: '0-10', touchpoint });
      await h.store.append([
        {
          streamId: 'customer-nul',
          expectedRevision: 'any',
          events: [
            { eventId: 'nul-profile', type: 'CustomerProfiled', occurredAt: at, data: { segment: 'vip\u0000x' } },
            { eventId: 'nul-portrait', type: 'FeedbackGiven', occurredAt: at, data: nps('hotline') },
          ],
        },
        {
          streamId: 'customer-nul-place',
          expectedRevision: 'any',
          events: [{ eventId: 'nul-place', type: 'FeedbackGiven', occurredAt: at, data: nps('hot\u0000line') }],
        },
      ]);
      for (const journey of generateJourneys({ customers: 10, seed: 6 }))
        await h.record(journey.map((c) => ({ ...c, eventId: `after-${c.eventId}`, customerId: `after-${c.customerId}` })));

      const db = h.readModels();
      const projector = new Projector(h.store, db, [new CxCutsProjection(TZ), new CxMetricsProjection(TZ)], { batchSize: 5000 });
      await projector.catchUp();

      const head = await h.store.headPosition();
      expect((await projector.progress()).map((p) => p.position)).toEqual([head, head]);
      const parked = async (component: string) => (await parkedEvents(db.reader, component)).map((e) => [e.eventId, e.error]).sort();
      const nul = expect.stringContaining('a key value holds a NUL character');
      expect(await parked('cx-cuts')).toEqual([
        ['nul-place', nul],
        ['nul-portrait', nul],
      ]);
      expect(await parked('cx-metrics')).toEqual([['nul-place', nul]]);
      const answers = (await h.store.readAll({ after: 0, limit: 100_000 })).filter((e) => e.type === 'FeedbackGiven' && e.data.kind === 'nps');
      expect(answers.length).toBeGreaterThan(5);
      const cut = await db.reader.get<{ n: number }>("SELECT SUM(n) AS n FROM cut_buckets WHERE metric = 'nps' AND pfield = ''");
      expect(Number(cut!.n)).toBe(answers.length - 2);
      const all = await db.reader.get<{ n: number }>("SELECT SUM(n) AS n FROM cx_buckets WHERE metric = 'nps' AND dim = 'all'");
      expect(Number(all!.n)).toBe(answers.length - 1);
    });
  });

  it('an event whose write the database refuses is found by halving the batch and parked alone; the rest of the batch is applied', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const journeys = [...generateJourneys({ customers: 30, seed: 3 })];
      for (const journey of journeys) await h.record(journey);
      const long = 'web:' + 'x'.repeat(40);
      await h.store.append([
        {
          streamId: 'customer-long',
          expectedRevision: 'any',
          events: [{ eventId: 'too-long', type: 'TouchpointVisited', occurredAt: at, data: { touchpoint: long, channel: 'web', stage: 'awareness' } }],
        },
      ]);
      for (const journey of [...generateJourneys({ customers: 10, seed: 4 })])
        await h.record(journey.map((c) => ({ ...c, eventId: `late-${c.eventId}`, customerId: `late-${c.customerId}` })));

      const strict = new StrictTouchpointsProjection(30);
      const parkedLog: string[] = [];
      const db = h.readModels();
      const projector = new Projector(h.store, db, [strict], { batchSize: 5000, onParked: (p) => parkedLog.push(p.eventId) });
      await projector.catchUp();

      expect((await projector.progress())[0].position).toBe(await h.store.headPosition());
      expect(parkedLog).toEqual(['too-long']);
      const [parked] = await parkedEvents(db.reader, 'strict-touchpoints');
      expect(parked).toMatchObject({ eventId: 'too-long', error: expect.stringMatching(/CHECK constraint failed/) });

      // every other visit counted: the same as a projection that simply never saw the long one
      const visits = (await h.store.readAll({ after: 0, limit: 100_000 })).filter((e) => e.type === 'TouchpointVisited' && e.eventId !== 'too-long');
      const counted = await db.reader.all<{ touchpoint: string; visits: number }>('SELECT touchpoint, visits FROM strict_touchpoints ORDER BY touchpoint');
      const expected = new Map<string, number>();
      for (const v of visits) expected.set(String(v.data.touchpoint), (expected.get(String(v.data.touchpoint)) ?? 0) + 1);
      expect(counted).toEqual([...expected].sort(([a], [b]) => (a < b ? -1 : 1)).map(([touchpoint, n]) => ({ touchpoint, visits: n })));

      // after a fix (a wider column) a rebuild applies it and parks nothing
      const fixed = new Projector(h.store, db, [new StrictTouchpointsProjection(100)]);
      await db.transaction((tx) => tx.exec('DROP TABLE strict_touchpoints'));
      await fixed.rebuild();
      expect(await parkedSummary(db.reader)).toEqual([]);
      expect(await db.reader.get('SELECT visits FROM strict_touchpoints WHERE touchpoint = ?', [long])).toEqual({ visits: 1 });
    });
  });

  it('a failure of the environment (store or database unavailable) is thrown and retried, never parked', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 10, seed: 5 })) await h.record(journey);
      const strict = new StrictTouchpointsProjection(100);
      const db = h.readModels();
      const projector = new Projector(h.store, db, [strict]);
      strict.failTransiently = new StoreUnavailableError('database is locked');
      await expect(projector.catchUp()).rejects.toThrow('database is locked');
      expect((await projector.progress())[0].position).toBe(0);
      const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
      strict.failTransiently = busy;
      await expect(projector.catchUp()).rejects.toBe(busy);
      await projector.catchUp();
      expect((await projector.progress())[0].position).toBe(await h.store.headPosition());
      expect(await parkedSummary(db.reader)).toEqual([]);
    });
  });

  it('a crash between the read models and the checkpoint is not mistaken for a bad event', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 10, seed: 6 })) await h.record(journey);
      const db = h.readModels();
      let crashes = 1;
      const projector = new Projector(h.store, db, [new StrictTouchpointsProjection(100)], {
        beforeCheckpoint: () => {
          if (crashes-- > 0) throw new Error('simulated crash');
        },
      });
      await expect(projector.catchUp()).rejects.toThrow('simulated crash');
      expect(await parkedSummary(db.reader)).toEqual([]);
    });
  });
});
