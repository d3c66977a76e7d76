/**
 * A parked event is applied after a fix: on a real SQLite store, a projection that cannot fold
 * one event parks it and applies the rest; once the cause is fixed, retrying the parked events
 * as `journeyline retry-parked` does (rebuild the projections that parked something) applies it
 * exactly once and leaves nothing parked, and retrying again changes nothing.
 */
import type { NewEvent } from '@journeyline/event-store';
import { dumpReadModels, sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { StrictTouchpointsProjection } from '@journeyline/projections/testing/strict-touchpoints.projection';
import { assessFollowers } from './follower-health';
import { parkedEvents, parkedSummary, projectionsWithParked } from './parked-events';
import type { ProjectedEvent, Projection } from './projection';
import { Projector } from './projector';
import type { ReadModelDatabase, SqlExecutor } from './sql-executor';

/** Visits per customer; throws on the events in `unfoldable` until `fixed` (a bug, then its fix). */
class VisitsPerCustomerProjection implements Projection {
  readonly name = 'visits-per-customer';
  readonly version = '1';
  readonly eventTypes: ReadonlySet<string> = new Set(['TouchpointVisited']);
  readonly tables = ['visits_per_customer'] as const;
  fixed = false;

  constructor(private readonly unfoldable: ReadonlySet<string>) {}

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec('CREATE TABLE IF NOT EXISTS visits_per_customer (stream_id TEXT PRIMARY KEY, visits BIGINT NOT NULL)');
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    await tx.exec('DROP TABLE IF EXISTS visits_per_customer');
  }

  async apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) {
      if (!this.fixed && this.unfoldable.has(event.eventId)) throw new Error(`cannot fold ${event.eventId}`);
      await tx.run(
        'INSERT INTO visits_per_customer (stream_id, visits) VALUES (?, 1) ON CONFLICT (stream_id) DO UPDATE SET visits = visits_per_customer.visits + 1',
        [event.streamId],
      );
    }
  }
}

const visit = (eventId: string, minute: number): NewEvent => ({
  eventId,
  type: 'TouchpointVisited',
  occurredAt: new Date(Date.UTC(2026, 10, 20, 2, minute)).toISOString(),
  data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation' },
});

/** What `journeyline retry-parked` does for projections: rebuild each one that parked events. Returns their names. */
async function retryParked(projector: Projector, db: ReadModelDatabase): Promise<string[]> {
  const names = projectionsWithParked(await parkedSummary(db.reader), projector.projections);
  if (names.length > 0) await projector.rebuild(names);
  return names;
}

async function visitsPerCustomer(db: ReadModelDatabase): Promise<Record<string, number>> {
  const rows = await db.reader.all<{ stream_id: string; visits: number }>('SELECT stream_id, visits FROM visits_per_customer ORDER BY stream_id');
  return Object.fromEntries(rows.map((r) => [r.stream_id, Number(r.visits)]));
}

describe('a parked event after a fix', () => {
  it('given a projection that cannot fold one event, when it catches up, the event is parked and the rest applied; after the fix, retry-parked applies it once, and again changes nothing', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.store.append([
        { streamId: 'customer-a', expectedRevision: 'any', events: [visit('a-1', 1), visit('a-2', 2), visit('a-3', 3)] },
        { streamId: 'customer-b', expectedRevision: 'any', events: [visit('b-1', 4), visit('b-2', 5)] },
        { streamId: 'customer-c', expectedRevision: 'any', events: [visit('c-1', 6), visit('c-2', 7)] },
      ]);
      const flaky = new VisitsPerCustomerProjection(new Set(['b-2']));
      const db = h.readModels();
      const parkedLog: string[] = [];
      const projector = new Projector(h.store, db, [flaky, new StrictTouchpointsProjection(100)], {
        batchSize: 100,
        onParked: (p) => parkedLog.push(`${p.projection} ${p.eventId}`),
      });

      // when: it catches up with the bug in place
      await projector.catchUp();
      const head = await h.store.headPosition();
      expect((await projector.progress()).map((p) => p.position)).toEqual([head, head]);
      expect(parkedLog).toEqual(['visits-per-customer b-2']);
      expect(await parkedEvents(db.reader, 'visits-per-customer')).toEqual([
        expect.objectContaining({ eventId: 'b-2', streamId: 'customer-b', type: 'TouchpointVisited', error: 'Error: cannot fold b-2' }),
      ]);
      expect(await visitsPerCustomer(db)).toEqual({ 'customer-a': 3, 'customer-b': 1, 'customer-c': 2 });
      expect(await db.reader.get('SELECT visits FROM strict_touchpoints')).toEqual({ visits: 7 }); // the other projection saw every visit
      const health = assessFollowers({
        store: await h.store.health(),
        followers: (await projector.progress()).map((p) => ({ name: p.projection, position: p.position })),
        runners: [{ name: 'projector', lastFailure: projector.lastFailure }],
        parked: await parkedSummary(db.reader),
        maxLag: 1000,
      });
      expect(health.status).toBe('degraded');
      expect(health.reasons).toEqual([expect.stringContaining('visits-per-customer has 1 parked event(s) (latest b-2')]);

      // a later event is applied while b-2 stays parked
      await h.store.append([{ streamId: 'customer-b', expectedRevision: 'any', events: [visit('b-3', 8)] }]);
      await projector.catchUp();
      expect(await visitsPerCustomer(db)).toEqual({ 'customer-a': 3, 'customer-b': 2, 'customer-c': 2 });

      // then: after the fix, retrying applies b-2 once and nothing is parked any more
      flaky.fixed = true;
      expect(await retryParked(projector, db)).toEqual(['visits-per-customer']);
      expect(await visitsPerCustomer(db)).toEqual({ 'customer-a': 3, 'customer-b': 3, 'customer-c': 2 });
      expect(await parkedSummary(db.reader)).toEqual([]);
      const head2 = await h.store.headPosition();
      expect((await projector.progress()).map((p) => p.position)).toEqual([head2, head2]);

      // and retrying again (or catching up) changes nothing
      const afterRetry = await dumpReadModels(db, projector.projections);
      expect(await retryParked(projector, db)).toEqual([]);
      expect(await projector.catchUp()).toBe(0);
      expect(await dumpReadModels(db, projector.projections)).toBe(afterRetry);
      expect(await parkedSummary(db.reader)).toEqual([]);
    });
  });

  it('given the cause is not fixed, when retry-parked runs, the event is parked again with its error and the rest stays applied once', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.store.append([{ streamId: 'customer-a', expectedRevision: 'any', events: [visit('a-1', 1), visit('a-2', 2), visit('a-3', 3)] }]);
      const db = h.readModels();
      const projector = new Projector(h.store, db, [new VisitsPerCustomerProjection(new Set(['a-2']))]);
      await projector.catchUp();

      expect(await retryParked(projector, db)).toEqual(['visits-per-customer']);
      expect(await visitsPerCustomer(db)).toEqual({ 'customer-a': 2 });
      expect(await parkedEvents(db.reader, 'visits-per-customer')).toEqual([expect.objectContaining({ eventId: 'a-2', error: 'Error: cannot fold a-2' })]);
    });
  });
});
