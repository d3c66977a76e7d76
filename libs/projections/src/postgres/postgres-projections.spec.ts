import type { EventStore } from '@journeyline/event-store';
import { generateJourneys } from '@journeyline/demo';
import { DEFAULT_CHURN_RULES, type CustomerCommand } from '@journeyline/journey';
import { ChurnRiskProcess } from '../churn-risk/churn-risk.process';
import { ChurnRiskProjection } from '../churn-risk/churn-risk.projection';
import { countChurnRisksByRule, listChurnRisks } from '../churn-risk/churn-risk.queries';
import { CxMetricsProjection, DIMENSIONS } from '../cx-metrics/cx-metrics.projection';
import { dailySeries, METRICS, queryMetrics, scoreDistribution } from '../cx-metrics/cx-metrics.queries';
import { resolveWindow } from '../cx-metrics/metric-window';
import { FUNNEL_SPLITS, queryFunnel } from '../funnel/funnel.queries';
import { journeylineProjections } from '../journeyline-projections';
import { CUSTOMER_SORTS, listCustomers, type CustomerFilter } from '../journey-map/journey-map.queries';
import { latestComments, touchpointVisits } from '../journey-map/touchpoint-activity.queries';
import { queryCohorts, queryRetention } from '../retention/retention.queries';
import { parkedSummary } from '../runtime/parked-events';
import { Projector } from '../runtime/projector';
import { StrictTouchpointsProjection } from '@journeyline/projections/testing/strict-touchpoints.projection';
import type { ReadModelDatabase, SqlExecutor } from '../runtime/sql-executor';
import {
  dumpReadModels,
  expectCrashBeforeCheckpointHarmless,
  expectEachBatchAppliedOnce,
  interleavedJourneys,
  sqliteHarness,
  withHarness,
} from '@journeyline/projections/testing/projection-harness';
import { testPostgresUrl } from '@journeyline/event-store/testing/postgres-test-support';
import { postgresHarness } from '@journeyline/projections/testing/postgres-projection-harness';
import { PostgresReadModelDatabase } from './postgres-read-model-database';

const ZONE = 'Asia/Ho_Chi_Minh';
const projections = (store: Pick<EventStore, 'readStream'>) => journeylineProjections(store, ZONE);

describe('projections on PostgreSQL', () => {
  it('a malformed event and one whose write the database refuses are parked (savepoints on Postgres); everything else is applied', async () => {
    await withHarness(await postgresHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 20, seed: 8 })) await h.record(journey);
      const at = '2026-11-20T02:00:00.000Z';
      await h.store.append([
        {
          streamId: 'customer-poison',
          expectedRevision: 'any',
          events: [
            { eventId: 'p-constructor', type: 'TouchpointVisited', occurredAt: at, data: { constructor: 'x' } },
            { eventId: 'too-long', type: 'TouchpointVisited', occurredAt: at, data: { touchpoint: 'x'.repeat(50), channel: 'web', stage: 'use' } },
          ],
        },
      ]);
      for (const journey of generateJourneys({ customers: 5, seed: 9 }))
        await h.record(journey.map((c) => ({ ...c, eventId: `after-${c.eventId}`, customerId: `after-${c.customerId}` })));
      const db = await h.readModels();
      const projector = new Projector(h.store, db, [...projections(h.store), new StrictTouchpointsProjection(30)], { batchSize: 500 });
      await projector.catchUp();
      const head = await h.store.headPosition();
      expect((await projector.progress()).map((p) => p.position)).toEqual(projector.projections.map(() => head));
      const parked = Object.fromEntries((await parkedSummary(db.reader)).map((s) => [s.component, s.latest.map((e) => e.eventId).sort()]));
      expect(parked).toEqual({ 'journey-map': ['p-constructor'], 'strict-touchpoints': ['p-constructor', 'too-long'] });
      const customers = await db.reader.all<{ customer_id: string }>("SELECT customer_id FROM jm_customers WHERE customer_id LIKE 'after-%'");
      expect(customers).toHaveLength(5);
    });
  }, 30_000);

  it('a rebuild equals the live result byte for byte on generated data (with late events)', async () => {
    await withHarness(await postgresHarness(), async (h) => {
      const liveDb = await h.readModels();
      const live = new Projector(h.store, liveDb, projections(h.store), { batchSize: 7 });
      await live.init();
      for (const batch of interleavedJourneys(60, 7)) {
        await h.record(batch);
        await live.catchUp();
      }
      const rebuiltDb = await h.readModels();
      const rebuilt = new Projector(h.store, rebuiltDb, projections(h.store));
      await rebuilt.rebuild(undefined, { batchSize: 5000 });
      const liveDump = await dumpReadModels(liveDb, live.projections);
      expect(liveDump.length).toBeGreaterThan(10_000);
      // Integer columns dump as numbers, as on SQLite, not as the strings node-postgres gives for BIGINT.
      expect(liveDump).toMatch(/\\"last_position\\":\d+,/);
      expect(await dumpReadModels(rebuiltDb, rebuilt.projections)).toBe(liveDump);
      await live.rebuild(['journey-map']);
      expect(await dumpReadModels(liveDb, live.projections)).toBe(liveDump);
    });
  }, 30_000);

  it('a crash between the read-model write and the checkpoint applies nothing twice and skips nothing', async () => {
    await withHarness(await postgresHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 40, seed: 3 })) await h.record(journey);
      const db = await h.readModels();
      await expectCrashBeforeCheckpointHarmless(h.store, db, await h.readModels(), () => projections(h.store));
    });
  }, 30_000);

  it('the same batch applied twice changes nothing: the journey map by itself, every projection through the runtime checkpoint', async () => {
    await withHarness(await postgresHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 30, seed: 5 })) await h.record(journey);
      const db = await h.readModels();
      await expectEachBatchAppliedOnce(h.store, db, () => projections(h.store));
    });
  });

  it('answers every query exactly as SQLite does for the same generated data', async () => {
    const sqlite = sqliteHarness();
    const postgres = await postgresHarness();
    try {
      // Merges among the journeys as they arrive (a chain, and one taken back), so persons are regrouped while their customers' events keep coming.
      const merge = (type: 'MergeCustomer' | 'UnmergeCustomer', from: string, into: string, n: number): CustomerCommand =>
        ({ type, eventId: `${type}-${n}`, customerId: into, occurredAt: '2026-12-01T00:00:00Z', data: { from } }) as CustomerCommand;
      const batches = interleavedJourneys(80, 11);
      batches.splice(5, 0, [merge('MergeCustomer', 'c-000002', 'c-000001', 1)]);
      batches.splice(12, 0, [merge('MergeCustomer', 'c-000003', 'c-000002', 2), merge('MergeCustomer', 'c-000010', 'c-000011', 3)]);
      batches.splice(20, 0, [merge('UnmergeCustomer', 'c-000010', 'c-000011', 4)]);
      const build = async (store: EventStore, readModels: ReadModelDatabase, record: (c: CustomerCommand[]) => Promise<unknown>) => {
        for (const batch of batches) await record(batch);
        // Flags are events too: the churn-risk process writes them to each store, at the same "now".
        await new ChurnRiskProcess(store, readModels, DEFAULT_CHURN_RULES, { clock: () => new Date('2027-01-15T00:00:00Z') }).runOnce();
        await new Projector(store, readModels, projections(store), { batchSize: 500 }).catchUp();
        return readModels.reader;
      };
      const lite = await build(sqlite.store, sqlite.readModels(), (c) => sqlite.record(c));
      const pg = await build(postgres.store, await postgres.readModels(), (c) => postgres.record(c));

      const lookedAt = { customers: 0, metricRows: 0, flags: 0, touchpoints: 0, comments: 0 };
      for (const window of [
        resolveWindow({ from: '2025-06-01', to: '2027-06-01', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() }),
        resolveWindow({ from: '2026-03-01', to: '2026-05-15', timeZone: 'UTC', bucketTimeZone: ZONE, now: new Date() }),
      ]) {
        for (const metric of METRICS) {
          for (const by of DIMENSIONS) {
            const rows = await same((r) => queryMetrics(r, metric, by, window, 30));
            lookedAt.metricRows += rows.length;
          }
          await same((r) => queryMetrics(r, metric, 'touchpoint', window, 5, 'hotline'));
          await same((r) => dailySeries(r, metric, 'touchpoint', 'web:checkout', window, 5));
        }
        await same((r) => scoreDistribution(r, 'nps', 'touchpoint', 'hotline', window));
      }

      const filters: Omit<CustomerFilter, 'sort' | 'limit'>[] = [
        {},
        { stage: 'purchase' },
        { churned: true },
        { churnRisk: true },
        { touchpoint: 'hotline' },
        { segment: 'SME' },
        { since: new Date('2026-06-01T00:00:00Z') },
        { region: 'Hà Nội', churned: false },
      ];
      for (const sort of CUSTOMER_SORTS) {
        for (const filter of filters) {
          const pages = await same(async (r) => {
            const items = [];
            let after: [string | number, string] | undefined;
            do {
              const page = await listCustomers(r, { ...filter, sort, limit: 13, after });
              items.push(...page.items);
              after = page.next;
            } while (after);
            return items;
          });
          if (sort === 'lastSeen' && Object.keys(filter).length === 0) lookedAt.customers = pages.length;
        }
      }

      const [from, to] = [new Date('2026-01-01T00:00:00Z'), new Date('2027-01-01T00:00:00Z')];
      // UTC midnights: counted per person; local midnights of the zone: from the day buckets
      const [localFrom, localTo] = [new Date('2026-01-01T00:00:00+07:00'), new Date('2027-01-01T00:00:00+07:00')];
      for (const [a, b] of [
        [from, to],
        [localFrom, localTo],
      ]) {
        await same((r) => queryFunnel(r, a, b, ZONE));
        for (const split of FUNNEL_SPLITS) await same((r) => queryFunnel(r, a, b, ZONE, split));
        await same((r) => queryFunnel(r, a, b, ZONE, undefined, { stage: 'purchase' }));
        await same((r) => queryRetention(r, a, b, ZONE));
      }
      await same((r) => queryRetention(r, new Date('2026-04-01T00:00:00Z'), new Date('2026-07-01T00:00:00Z'), ZONE));
      await same((r) => queryRetention(r, new Date('2026-04-01T00:00:00+07:00'), new Date('2026-07-01T00:00:00+07:00'), ZONE, { segment: 'SME' }));
      await same((r) => queryCohorts(r, from, to, ZONE, new Date('2027-01-15T00:00:00Z')));

      const flags = await same(async (r) => {
        const items = [];
        let after: [string | number, string] | undefined;
        do {
          const page = await listChurnRisks(r, { limit: 3, after });
          items.push(...page.items);
          after = page.next;
        } while (after);
        return items;
      });
      lookedAt.flags = flags.length;
      await same((r) => countChurnRisksByRule(r));
      await same((r) => listChurnRisks(r, { limit: 100, rule: 'ticket-open-too-long' }));

      const visits = await same(async (r) => [...(await touchpointVisits(r))]);
      lookedAt.touchpoints = visits.length;
      for (const [touchpoint] of visits) {
        const comments = await same((r) => latestComments(r, { touchpoint, from: new Date(0), to: new Date('2030-01-01T00:00:00Z'), limit: 50 }));
        lookedAt.comments += comments.length;
        await same((r) => latestComments(r, { touchpoint, from: new Date('2026-03-01T00:00:00+07:00'), to: new Date('2026-05-01T00:00:00+07:00'), limit: 5 }));
      }

      expect(lookedAt.customers).toBe(78);
      expect(lookedAt.metricRows).toBeGreaterThan(100);
      expect(lookedAt.flags).toBeGreaterThan(0);
      expect(lookedAt.touchpoints).toBeGreaterThan(5);
      expect(lookedAt.comments).toBeGreaterThan(0);

      /** Personal fields are sealed with each store's own keys: the answers are compared as a reader gets them, opened. */
      async function same<T>(query: (reader: SqlExecutor) => Promise<T>): Promise<T> {
        const expected = await sqlite.personal.reveal(await query(lite));
        expect(await postgres.personal.reveal(await query(pg))).toEqual(expected);
        return expected;
      }
    } finally {
      await sqlite.close();
      await postgres.close();
    }
  }, 30_000);

  it('two processes starting their projectors together on one empty schema both come up', async () => {
    await withHarness(await postgresHarness(), async (h) => {
      for (const journey of generateJourneys({ customers: 5, seed: 2 })) await h.record(journey);
      const first = await h.readModels();
      const second = await PostgresReadModelDatabase.open({ connectionString: testPostgresUrl(), schema: first.schema, maxConnections: 2 });
      try {
        const projectors = [first, second].map((db) => new Projector(h.store, db, projections(h.store)));
        await Promise.all(projectors.map((p) => p.catchUp()));
        const head = await h.store.headPosition();
        for (const p of projectors) expect(await p.position()).toBe(head);
      } finally {
        await second.close();
      }
    });
  });

  it('reads BIGINT and NUMERIC as numbers, keeps tables in its schema and rolls back a failed transaction', async () => {
    await withHarness(await postgresHarness(), async (h) => {
      const db = await h.readModels();
      await db.transaction(async (tx) => {
        await tx.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT NOT NULL); CREATE INDEX t_n ON t (n)');
        await tx.run("INSERT INTO t (k, n) VALUES (?, ?), ('it''s ?', ?)", ['a', 9_007_199_254_740_991, 2]);
      });
      expect(await db.reader.all('SELECT k, n FROM t ORDER BY k')).toEqual([
        { k: 'a', n: 9_007_199_254_740_991 },
        { k: "it's ?", n: 2 },
      ]);
      expect(await db.reader.get('SELECT COUNT(*) AS c, SUM(n) AS s, AVG(n) AS a FROM t WHERE n < ?', [10])).toEqual({ c: 1, s: 2, a: 2 });
      const { rows } = await db.pool.query('SELECT table_schema FROM information_schema.tables WHERE table_name = $1 AND table_schema = $2', ['t', db.schema]);
      expect(rows).toHaveLength(1);

      await expect(
        db.transaction(async (tx) => {
          await tx.run('INSERT INTO t (k, n) VALUES (?, ?)', ['b', 3]);
          throw new Error('changed my mind');
        }),
      ).rejects.toThrow('changed my mind');
      expect(await db.reader.get('SELECT COUNT(*) AS c FROM t')).toEqual({ c: 2 });
      expect(await db.reader.get('SELECT ? AS x', ['text param'])).toEqual({ x: 'text param' });
    });
  });
});
