/** The follow-up process and read model on a real SQLite store: opened once (replays, two processes), closed by a good replacement, rebuilt equal. */
import type { AppendRequest, EventStore } from '@journeyline/event-store';
import { followUpIdOf } from '@journeyline/journey';
import { dumpReadModels, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { at, clock, feedback, resolvedAndAnsweredAgain, WINDOW } from '@journeyline/projections/testing/follow-up-scenarios';
import { Projector } from '../runtime/projector';
import { FollowUpProcess } from './follow-up.process';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { FollowUpsProjection } from './follow-ups.projection';
import { followUpStatsOf, listFollowUps, openFollowUpCustomers } from './follow-ups.queries';

describe('the follow-up process and the follow_ups read model', () => {
  it('opens one per bad answer, once, however often and by however many processes it runs', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.record([
        feedback('a1', 'c-1', 'nps', 3, 1),
        feedback('a2', 'c-2', 'nps', 8, 2),
        feedback('a3', 'c-3', 'ces', 2, 3),
        feedback('a4', 'c-4', 'review', 1, 4),
        feedback('a5', 'c-5', 'review', 4, 5),
      ]);
      const db = h.readModels();
      const one = new FollowUpProcess(h.store, db, { batchSize: 2, clock });
      const two = new FollowUpProcess(h.store, h.readModels('other.db'), { batchSize: 3, clock });
      const [first, second] = await Promise.all([one.catchUp(), two.catchUp()]);
      expect(first.eventsAppended + second.eventsAppended).toBe(3);
      await one.resetCheckpoint();
      expect((await one.catchUp()).eventsAppended).toBe(0);

      await new Projector(h.store, db, [new JourneyMapProjection(h.store, 'UTC'), new FollowUpsProjection()], { batchSize: 2 }).catchUp();
      const { items } = await listFollowUps(db.reader, { limit: 10 });
      expect(items.map((i) => [i.followUpId, i.customerId, i.reason, i.score, i.status, i.owner])).toEqual([
        [followUpIdOf('a1'), 'c-1', 'detractor', 3, 'open', null],
        [followUpIdOf('a3'), 'c-3', 'hard-effort', 2, 'open', null],
        [followUpIdOf('a4'), 'c-4', 'low-review', 1, 'open', null],
      ]);
      expect(await openFollowUpCustomers(db.reader)).toEqual(['c-1', 'c-3', 'c-4']);
      expect(await followUpStatsOf(db.reader, WINDOW)).toMatchObject({ opened: 3, resolved: 0, followUpRate: 0 });
    });
  });

  it('opens a chunk of customers in one append; one whose follow-up stream another writer moved meanwhile is decided again alone', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.record([
        feedback('a1', 'c-1', 'nps', 3, 1),
        feedback('a2', 'c-2', 'ces', 2, 2),
        feedback('a3', 'c-3', 'nps', 9, 3),
        feedback('a4', 'c-4', 'review', 1, 4),
      ]);
      const [a1, a2, a4] = [followUpIdOf('a1'), followUpIdOf('a2'), followUpIdOf('a4')];
      const calls: string[][] = [];
      const racingStore: EventStore = Object.assign(Object.create(h.store) as EventStore, {
        append: async (requests: AppendRequest[]) => {
          calls.push(requests.map((r) => r.streamId));
          // another writer puts an event in c-1's follow-up stream first (an opening it did not decide: it is there now)
          if (calls.length === 1)
            await h.store.append([
              {
                streamId: a1,
                expectedRevision: 'no_stream',
                events: [{ eventId: 'assigned-1', type: 'FollowUpAssigned', occurredAt: at(2), data: { followUpId: a1, assignee: 'lan', by: 'minh' } }],
              },
            ]);
          return h.store.append(requests);
        },
      });
      const result = await new FollowUpProcess(racingStore, h.readModels(), { clock }).catchUp();
      // c-1 and c-2 together, refused for c-1; the rest again without c-1; c-1 alone, read again, finds its follow-up begun
      expect(calls).toEqual([
        [a1, a2, a4],
        [a2, a4],
      ]);
      expect(result).toMatchObject({ customersEvaluated: 3, eventsAppended: 2 });
      expect((await h.store.readStream(a1)).map((e) => e.type)).toEqual(['FollowUpAssigned']);
      for (const id of [a2, a4]) expect((await h.store.readStream(id)).map((e) => e.type)).toEqual(['FollowUpOpened']);
    });
  });

  it('stopped while deciding for hundreds of customers, it keeps what it opened, and the next start decides that step again', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.record(Array.from({ length: 600 }, (_, i) => feedback(`a${i}`, `c-${i}`, 'nps', 2, 1)));
      const db = h.readModels();
      let first!: FollowUpProcess;
      const stoppingStore: EventStore = Object.assign(Object.create(h.store) as EventStore, {
        append: async (requests: AppendRequest[]) => {
          void first.stop(); // the server shuts down while the first follow-ups are being opened
          return h.store.append(requests);
        },
      });
      first = new FollowUpProcess(stoppingStore, db, { clock });
      const stopped = await first.catchUp();
      expect(stopped.eventsAppended).toBeGreaterThan(0);
      expect(stopped.eventsAppended).toBeLessThan(600);
      expect(await first.position()).toBe(0);
      const next = new FollowUpProcess(h.store, db, { clock });
      expect(await next.catchUp()).toMatchObject({ customersEvaluated: 600, eventsAppended: 600 - stopped.eventsAppended });
      expect(await next.position()).toBe(await h.store.headPosition());
    });
  });

  it('answers given more than the maximum age before the clock open nothing (a first start on an old log, an imported history)', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.record([feedback('old', 'c-1', 'nps', 1, 1), feedback('recent', 'c-2', 'nps', 1, 30)]);
      const db = h.readModels();
      const process = new FollowUpProcess(h.store, db, { clock, maxAgeMs: 12 * 3_600_000 });
      expect((await process.catchUp()).eventsAppended).toBe(1);
      expect((await h.store.readStream(followUpIdOf('recent'))).length).toBe(1);
      expect((await h.store.readStream(followUpIdOf('old'))).length).toBe(0);
    });
  });

  it('a good answer replacing a bad one through its survey link closes the follow-up as withdrawn; a bad replacement keeps it open', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.record([feedback('s1', 'c-1', 'nps', 2, 1, 'link-1'), feedback('s2', 'c-2', 'nps', 1, 1, 'link-2')]);
      const db = h.readModels();
      const process = new FollowUpProcess(h.store, db, { clock });
      expect((await process.catchUp()).eventsAppended).toBe(2);
      await h.record([feedback('s1b', 'c-1', 'nps', 9, 2, 'link-1'), feedback('s2b', 'c-2', 'nps', 4, 2, 'link-2')]);
      expect((await process.catchUp()).eventsAppended).toBe(1);
      await new Projector(h.store, db, [new JourneyMapProjection(h.store, 'UTC'), new FollowUpsProjection()]).catchUp();
      const { items } = await listFollowUps(db.reader, { limit: 10 });
      expect(items.map((i) => [i.customerId, i.status, i.outcome, i.resolvedBy])).toEqual([
        ['c-1', 'resolved', 'answer replaced', 'journeyline'],
        ['c-2', 'open', null, null],
      ]);
      expect(await followUpStatsOf(db.reader, WINDOW)).toMatchObject({ opened: 1, resolved: 0, withdrawn: 1 });
    });
  });

  it('an answer replaced through its survey link is no answer of the customer, whether the replacement came in the same batch or a later one', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.record([feedback('r1', 'c-1', 'nps', 2, 1, 'link-1'), feedback('r2', 'c-2', 'nps', 9, 1)]);
      await h.record([feedback('r1b', 'c-1', 'nps', 9, 2, 'link-1')]);
      const answers = async (db: ReturnType<typeof h.readModels>) =>
        (await db.reader.all<{ event_id: string }>('SELECT event_id FROM follow_up_answers ORDER BY event_id')).map((r) => r.event_id);
      const oneByOne = h.readModels();
      await new Projector(h.store, oneByOne, [new FollowUpsProjection()], { batchSize: 1 }).catchUp();
      const together = h.readModels('together.db');
      await new Projector(h.store, together, [new FollowUpsProjection()]).catchUp();
      expect(await answers(oneByOne)).toEqual(['r1b', 'r2']);
      expect(await answers(together)).toEqual(['r1b', 'r2']);
    });
  });

  it('live in small batches equals a rebuild, and applying the same records twice changes nothing', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.record([feedback('b1', 'c-1', 'nps', 0, 1), feedback('b2', 'c-2', 'ces', 1, 2), feedback('b3', 'c-1', 'nps', 10, 3)]);
      const live = h.readModels();
      await new FollowUpProcess(h.store, live, { clock }).catchUp();
      const projector = new Projector(h.store, live, [new FollowUpsProjection()], { batchSize: 1 });
      await projector.catchUp();
      const rebuilt = h.readModels('rebuilt.db');
      const rebuild = new Projector(h.store, rebuilt, [new FollowUpsProjection()]);
      await rebuild.rebuild();
      expect(await dumpReadModels(live, projector.projections)).toBe(await dumpReadModels(rebuilt, rebuild.projections));
      const once = await dumpReadModels(live, projector.projections);
      const records = (await h.store.readAll({ after: 0, limit: 1000 })).filter((e) => e.type.startsWith('FollowUp'));
      await live.transaction((tx) => new FollowUpsProjection().applyRecords(records, tx));
      expect(await dumpReadModels(live, projector.projections)).toBe(once);
    });
  });
});

describe('follow-up stats from the read model', () => {
  it('resolved by a person 4 hours after the answer, answered again better (PostgreSQL: follow-ups.postgres-projections.spec.ts)', async () => {
    await withHarness(sqliteHarness(), async (h) => resolvedAndAnsweredAgain(h, h.readModels()));
  });
});
