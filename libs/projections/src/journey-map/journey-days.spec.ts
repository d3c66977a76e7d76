import fc from 'fast-check';
import { STAGES, type CustomerCommand, type Stage } from '@journeyline/journey';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { queryFunnel } from '../funnel/funnel.queries';
import { queryCohorts, queryRetention } from '../retention/retention.queries';
import { Projector } from '../runtime/projector';
import type { ReadModelDatabase, SqlExecutor } from '../runtime/sql-executor';
import { addToGaps, forEachGap } from './journey-days';
import type { JourneyFilter } from './journey-days.queries';
import { JourneyMapProjection } from './journey-map.projection';

const ZONE = 'Asia/Ho_Chi_Minh';
/** A zone none of the windows below start at midnight in: the reads it is given count person by person. */
const PER_PERSON = 'UTC';
const midnight = (day: number) => new Date(`2026-11-${String(day).padStart(2, '0')}T00:00:00+07:00`);

let n = 0;
const cmd = (customerId: string, day: number, hour: number, type: string, data: object) =>
  ({
    type,
    eventId: `e-${++n}`,
    customerId,
    occurredAt: `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:30:00+07:00`,
    data,
  }) as CustomerCommand;

const customers = ['c-0', 'c-1', 'c-2', 'c-3', 'c-4', 'c-5'];
const touchpoints: [string, string][] = [
  ['hotline', 'phone'],
  ['web:pricing', 'web'],
  ['app:home', 'app'],
  ['store', 'store'],
];

/** A random command: a visit, a purchase, a churn, a reactivation, a portrait, a merge or an unmerge, any day and hour of November. */
const command = fc
  .record({
    kind: fc.constantFrom('visit', 'visit', 'visit', 'purchase', 'churn', 'reactivate', 'profile', 'merge', 'unmerge'),
    customer: fc.constantFrom(...customers),
    other: fc.constantFrom(...customers),
    day: fc.integer({ min: 1, max: 28 }),
    hour: fc.integer({ min: 0, max: 23 }),
    place: fc.constantFrom(...touchpoints),
    stage: fc.constantFrom(...STAGES),
    segment: fc.constantFrom('SME', 'Enterprise', 'Cá nhân'),
  })
  .map(({ kind, customer, other, day, hour, place, stage, segment }) => {
    switch (kind) {
      case 'visit':
        return cmd(customer, day, hour, 'RecordTouchpointVisit', { touchpoint: place[0], channel: place[1], stage });
      case 'purchase':
        return cmd(customer, day, hour, 'RecordPurchase', { orderId: `o-${n}`, amount: 10, currency: 'VND' });
      case 'churn':
        return cmd(customer, day, hour, 'RecordChurn', {});
      case 'reactivate':
        return cmd(customer, day, hour, 'ReactivateCustomer', {});
      case 'profile':
        return cmd(customer, day, hour, 'ProfileCustomer', { segment });
      case 'merge':
        return cmd(customer, day, hour, 'MergeCustomer', { from: other });
      default:
        return cmd(customer, day, hour, 'UnmergeCustomer', { from: other });
    }
  });

const filters: JourneyFilter[] = [
  {},
  { segment: 'SME' },
  { touchpoint: 'hotline' },
  { channel: 'web' },
  { stage: 'purchase' },
  { segment: 'Cá nhân', stage: 'choice' },
];

/** Every read the buckets answer, and the same read counted person by person. */
async function reads(reader: SqlExecutor, zone: string, windows: [number, number][]) {
  const answers: unknown[] = [];
  for (const [a, b] of windows) {
    const [from, to] = [midnight(a), midnight(b)];
    for (const filter of filters) {
      answers.push(await queryFunnel(reader, from, to, zone, undefined, filter));
      answers.push(await queryRetention(reader, from, to, zone, filter));
    }
    answers.push(await queryFunnel(reader, from, to, zone, 'segment'));
    answers.push(await queryFunnel(reader, from, to, zone, 'segment', { segment: 'SME' }));
  }
  return answers;
}

/**
 * The funnel and retention counted straight from the journey map's own per-person rows (the
 * queries before day buckets), for the filters those rows can answer: a reference that shares
 * nothing with person-days.ts.
 */
async function reference(reader: SqlExecutor, from: Date, to: Date, place: { touchpoint?: string; stage?: Stage }) {
  const only = place.touchpoint
    ? { sql: 'AND EXISTS (SELECT 1 FROM jm_touchpoints t WHERE t.customer_id = c.customer_id AND t.touchpoint = ?)', params: [place.touchpoint] }
    : place.stage
      ? { sql: 'AND EXISTS (SELECT 1 FROM jm_stage_reached s WHERE s.customer_id = c.customer_id AND s.stage = ?)', params: [place.stage] }
      : { sql: '', params: [] };
  const reached = await reader.all<{ stage: string; n: number }>(
    `SELECT r.stage, COUNT(*) AS n FROM jm_stage_reached r JOIN jm_customers c ON c.customer_id = r.customer_id
      WHERE r.customer_id IN (SELECT customer_id FROM jm_stage_reached WHERE stage = 'awareness' AND reached_at >= ? AND reached_at < ?) ${only.sql}
      GROUP BY r.stage`,
    [from.getTime(), to.getTime(), ...only.params],
  );
  const activeAt = async (at: Date) =>
    Number(
      (
        await reader.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM jm_customers c WHERE c.first_purchase_at < ? ${only.sql}
            AND COALESCE((SELECT l.kind FROM jm_lifecycle l WHERE l.customer_id = c.customer_id AND l.at < ? ORDER BY l.at DESC, l.position DESC LIMIT 1), '') <> 'churn'`,
          [at.getTime(), ...only.params, at.getTime()],
        )
      )?.n,
    );
  const lost = await reader.get<{ n: number }>(
    `SELECT COUNT(DISTINCT l.customer_id) AS n FROM jm_lifecycle l JOIN jm_customers c ON c.customer_id = l.customer_id
      WHERE l.kind = 'churn' AND l.at >= ? AND l.at < ? ${only.sql}`,
    [from.getTime(), to.getTime(), ...only.params],
  );
  const fresh = await reader.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM jm_customers c WHERE c.first_purchase_at >= ? AND c.first_purchase_at < ? ${only.sql}`,
    [from.getTime(), to.getTime(), ...only.params],
  );
  return {
    reached: STAGES.map((s) => Number(reached.find((r) => r.stage === s)?.n ?? 0)),
    start: await activeAt(from),
    end: await activeAt(to),
    fresh: Number(fresh?.n),
    lost: Number(lost?.n),
  };
}

async function record(h: { record(c: CustomerCommand[]): Promise<unknown> }, command: CustomerCommand): Promise<void> {
  try {
    await h.record([command]);
  } catch {
    // refused by the journey rules (a churn of a churned customer, a merge into oneself, ...): not recorded
  }
}

describe('funnel and retention day buckets (journey-days)', () => {
  it('answer every window and filter as counting person by person does, and as the journey map rows do; live in small batches and rebuilt alike', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 5, maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 28 }), fc.integer({ min: 1, max: 28 })), { minLength: 2, maxLength: 4 }),
        async (commands, batchSize, edges) => {
          const windows = edges.map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b) + 1]);
          await withHarness(sqliteHarness(), async (h) => {
            const liveDb = h.readModels('live.db');
            const live = new Projector(h.store, liveDb, [new JourneyMapProjection(h.store, ZONE)], { batchSize });
            await live.init();
            for (const [i, c] of commands.entries()) {
              await record(h, c);
              if (i % 3 === 0) await live.catchUp();
            }
            await live.catchUp();
            const rebuiltDb: ReadModelDatabase = h.readModels('rebuilt.db');
            await new Projector(h.store, rebuiltDb, [new JourneyMapProjection(h.store, ZONE)]).rebuild(undefined, { batchSize: 5000 });

            const bucketed = await reads(liveDb.reader, ZONE, windows);
            expect(await reads(liveDb.reader, PER_PERSON, windows)).toEqual(bucketed);
            expect(await reads(rebuiltDb.reader, ZONE, windows)).toEqual(bucketed);
            for (const [a, b] of windows) {
              const [from, to] = [midnight(a), midnight(b)];
              for (const place of [{}, { touchpoint: 'hotline' }, { stage: 'purchase' as Stage }]) {
                const expected = await reference(liveDb.reader, from, to, place);
                const [funnel] = await queryFunnel(liveDb.reader, from, to, ZONE, undefined, place);
                expect(funnel?.stages.map((s) => s.customers) ?? STAGES.map(() => 0)).toEqual(expected.reached);
                const retention = await queryRetention(liveDb.reader, from, to, ZONE, place);
                expect([retention.startCustomers, retention.endCustomers, retention.newCustomers, retention.lostCustomers]).toEqual([
                  expected.start,
                  expected.end,
                  expected.fresh,
                  expected.lost,
                ]);
              }
            }
          });
        },
      ),
      { numRuns: Number(process.env.JOURNEY_DAYS_RUNS ?? 30) },
    );
  }, 120_000);

  it('a customer lost twice in a window counts once; lost again in the next window, once there', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      n = 0;
      for (const c of [
        cmd('c-1', 1, 9, 'RecordPurchase', { orderId: 'o-1', amount: 1, currency: 'VND' }),
        cmd('c-1', 3, 9, 'RecordChurn', {}),
        cmd('c-1', 5, 9, 'ReactivateCustomer', {}),
        cmd('c-1', 7, 9, 'RecordChurn', {}),
        cmd('c-1', 9, 9, 'ReactivateCustomer', {}),
        cmd('c-1', 12, 9, 'RecordChurn', {}),
      ])
        await h.record([c]);
      const db = h.readModels();
      await new Projector(h.store, db, [new JourneyMapProjection(h.store, ZONE)], { batchSize: 1 }).catchUp();
      const lost = async (a: number, b: number) => (await queryRetention(db.reader, midnight(a), midnight(b), ZONE)).lostCustomers;
      expect([await lost(1, 10), await lost(10, 20), await lost(1, 20), await lost(4, 8), await lost(8, 9)]).toEqual([1, 1, 1, 1, 0]);
      const retention = await queryRetention(db.reader, midnight(2), midnight(8), ZONE);
      expect(retention).toMatchObject({ startCustomers: 1, newCustomers: 0, endCustomers: 0 });
    });
  });

  it('a merge moves the merged customer out of the buckets and the person’s whole history to the earliest awareness; an unmerge moves it back', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      n = 0;
      const db = h.readModels();
      const projector = new Projector(h.store, db, [new JourneyMapProjection(h.store, ZONE)], { batchSize: 100 });
      const cohorts = async () =>
        (
          await Promise.all(
            [[1, 5] as const, [5, 10] as const].map(async ([a, b]) => (await queryFunnel(db.reader, midnight(a), midnight(b), ZONE))[0]?.cohort ?? 0),
          )
        ).join(',');
      await h.record([cmd('anon-1', 2, 9, 'RecordTouchpointVisit', { touchpoint: 'web:pricing', channel: 'web', stage: 'awareness' })]);
      await h.record([
        cmd('c-1', 6, 9, 'RecordTouchpointVisit', { touchpoint: 'store', channel: 'store', stage: 'awareness' }),
        cmd('c-1', 7, 9, 'RecordPurchase', { orderId: 'o-1', amount: 1, currency: 'VND' }),
      ]);
      await projector.catchUp();
      expect(await cohorts()).toBe('1,1');
      await h.record([cmd('c-1', 8, 9, 'MergeCustomer', { from: 'anon-1' })]);
      await projector.catchUp();
      expect(await cohorts()).toBe('1,0');
      const [merged] = await queryFunnel(db.reader, midnight(1), midnight(5), ZONE, undefined, { channel: 'store' });
      expect(merged.stages.find((s) => s.stage === 'purchase')!.customers).toBe(1);
      // in one transaction: anon-1 (still c-1's) calls the hotline, then is taken back out of c-1
      await h.record([cmd('anon-1', 9, 8, 'RecordTouchpointVisit', { touchpoint: 'hotline', channel: 'phone', stage: 'use' })]);
      await h.record([cmd('c-1', 9, 9, 'UnmergeCustomer', { from: 'anon-1' })]);
      await projector.catchUp();
      expect(await cohorts()).toBe('1,1');
      const hotline = await queryFunnel(db.reader, midnight(1), midnight(10), ZONE, undefined, { touchpoint: 'hotline' });
      expect(hotline.map((f) => f.cohort)).toEqual([1]);
      expect((await queryRetention(db.reader, midnight(1), midnight(10), ZONE, { touchpoint: 'hotline' })).newCustomers).toBe(0);
      expect(await queryCohorts(db.reader, midnight(1), midnight(28), ZONE, midnight(28), { touchpoint: 'store' })).toEqual([
        { cohort: '2026-11', customers: 1, retained: [100] },
      ]);
    });
  });

  it('gap bins: changes merge into the stored [bin, count] pairs in bin order, a count brought to zero leaves, and nothing stored is as empty', () => {
    const pairs = (gaps: Uint8Array) => {
      const found: number[][] = [];
      forEachGap(gaps, (bin, count) => found.push([bin, count]));
      return found;
    };
    const stored = addToGaps(
      null,
      new Map([
        [9, 3],
        [1, 2],
        [5, 1],
        [4, 0],
      ]),
    );
    expect(pairs(stored)).toEqual([
      [1, 2],
      [5, 1],
      [9, 3],
    ]);
    const changed = addToGaps(
      stored,
      new Map([
        [5, -1],
        [7, 2],
        [9, 0],
        [0, 4],
        [12, -2],
      ]),
    );
    expect(pairs(changed)).toEqual([
      [0, 4],
      [1, 2],
      [7, 2],
      [9, 3],
      [12, -2],
    ]);
    expect(pairs(addToGaps(changed, new Map()))).toEqual(pairs(changed));
    expect(addToGaps(null, new Map()).byteLength).toBe(0);
  });
});
