import { durationBin, METRIC_DEFINITIONS, type CustomerCommand } from '@journeyline/journey';
import { postgresHarness } from '@journeyline/projections/testing/postgres-projection-harness';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { resolveWindow } from '../cx-metrics/metric-window';
import { Projector } from '../runtime/projector';
import type { ReadModelDatabase } from '../runtime/sql-executor';
import { CxCutsProjection } from './cx-cuts.projection';
import { cutSeries, queryCutMetrics } from './cx-cuts.queries';
import type { MetricCut } from './metric-cut';
import { spansOf } from './week-spans';

const ZONE = 'Asia/Ho_Chi_Minh';
const window = resolveWindow({ from: '2026-11-01', to: '2026-12-01', timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() });

let n = 0;
const at = (day: number, hour = 10) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
const cmd = (customerId: string, occurredAt: string, type: string, data: object) =>
  ({ type, eventId: `e-${++n}`, customerId, occurredAt, data }) as CustomerCommand;
const profile = (c: string, day: number, data: object) => cmd(c, at(day, 8), 'ProfileCustomer', data);
const nps = (c: string, day: number, score: number, touchpoint: string, channel: string, stage: string) =>
  cmd(c, at(day), 'RecordFeedback', { kind: 'nps', score, scale: '0-10', touchpoint, channel, stage });

/** A small hand-made log: the answers, who gave them, and what they were known as then. */
function handMade(): CustomerCommand[][] {
  n = 0;
  return [
    [profile('c-1', 2, { segment: 'SME', region: 'north' }), nps('c-1', 3, 10, 'hotline', 'phone', 'use'), nps('c-1', 4, 3, 'hotline', 'phone', 'use')],
    [
      profile('c-2', 2, { segment: 'Enterprise', region: 'south' }),
      nps('c-2', 3, 9, 'hotline', 'phone', 'use'),
      nps('c-2', 5, 8, 'hotline', 'phone', 'purchase'),
      nps('c-2', 6, 0, 'web:pricing', 'web', 'evaluation'),
      cmd('c-2', at(7, 9), 'OpenTicket', { ticketId: 't-1', touchpoint: 'hotline', channel: 'phone' }),
      cmd('c-2', at(7, 11), 'ResolveTicket', { ticketId: 't-1' }),
    ],
    // answered before any profile: in no portrait cut; the profile counts from the next answer on
    [nps('c-3', 3, 10, 'hotline', 'phone', 'use'), profile('c-3', 8, { segment: 'SME' }), nps('c-3', 9, 2, 'hotline', 'phone', 'use')],
  ];
}

const pick = (rows: Record<string, unknown>[]) => rows.map((r) => ({ key: r.key, n: r.n, promoters: r.promoters, detractors: r.detractors }));

async function answers(db: ReadModelDatabase) {
  const cut = (c: Partial<MetricCut>): MetricCut => ({ by: [], place: {}, ...c });
  return {
    byTouchpointStage: await queryCutMetrics(db.reader, 'nps', cut({ by: ['touchpoint', 'stage'] }), window, 1),
    sme: await queryCutMetrics(db.reader, 'nps', cut({ portrait: { field: 'segment', value: 'SME' } }), window, 1),
    northByStage: await queryCutMetrics(db.reader, 'nps', cut({ by: ['stage'], portrait: { field: 'region', value: 'north' } }), window, 1),
    phoneUse: await queryCutMetrics(db.reader, 'nps', cut({ by: ['touchpoint'], place: { channel: 'phone', stage: 'use' } }), window, 1),
    ttr: await queryCutMetrics(db.reader, 'ttr', cut({ by: ['channel'], portrait: { field: 'segment', value: 'Enterprise' } }), window, 1),
    series: await cutSeries(db.reader, 'nps', cut({ by: ['touchpoint', 'stage'] }), 'hotline|use', window, 1),
  };
}

async function expectHandWorked(db: ReadModelDatabase) {
  const a = await answers(db);
  expect(pick(a.byTouchpointStage)).toEqual([
    { key: 'hotline|purchase', n: 1, promoters: 0, detractors: 0 },
    { key: 'hotline|use', n: 5, promoters: 3, detractors: 2 },
    { key: 'web:pricing|evaluation', n: 1, promoters: 0, detractors: 1 },
  ]);
  expect(a.byTouchpointStage[1]).toMatchObject({ keys: { touchpoint: 'hotline', stage: 'use' }, value: 20 });
  // SME: c-1's 10 and 3, c-3's 2 (its 10 came before its profile)
  expect(pick(a.sme)).toEqual([{ key: '*', n: 3, promoters: 1, detractors: 2 }]);
  expect(a.sme[0].value).toBeCloseTo(-33.33, 1);
  expect(pick(a.northByStage)).toEqual([{ key: 'use', n: 2, promoters: 1, detractors: 1 }]);
  expect(pick(a.phoneUse)).toEqual([{ key: 'hotline', n: 5, promoters: 3, detractors: 2 }]);
  expect(a.ttr).toMatchObject([{ key: 'phone', n: 1, value: 2 }]);
  expect(a.series.map((p) => [p.day, p.n])).toEqual([
    ['2026-11-03', 3],
    ['2026-11-04', 1],
    ['2026-11-09', 1],
  ]);
}

async function liveAndRebuilt(
  h: { store: Projector['store']; record(c: CustomerCommand[]): Promise<unknown> },
  open: () => Promise<ReadModelDatabase> | ReadModelDatabase,
) {
  const liveDb = await open();
  const live = new Projector(h.store, liveDb, [new CxCutsProjection(ZONE)], { batchSize: 1 });
  await live.init();
  for (const journey of handMade()) {
    await h.record(journey);
    await live.catchUp();
  }
  // applying the same events again changes nothing (the checkpoint holds)
  await live.catchUp();
  const rebuiltDb = await open();
  const rebuilt = new Projector(h.store, rebuiltDb, [new CxCutsProjection(ZONE)]);
  await rebuilt.rebuild(undefined, { batchSize: 5000 });
  return { liveDb, rebuiltDb };
}

/** A cut's counts over a window, summed from one-day windows (which read the day buckets alone). */
async function countsDayByDay(db: ReadModelDatabase, metric: 'nps' | 'ttr', cut: MetricCut, window: ReturnType<typeof resolveWindow>) {
  const counts: Record<string, Record<string, number>> = {};
  for (let day = Date.parse(`${window.fromDay}T00:00:00Z`); day < Date.parse(`${window.toDay}T00:00:00Z`); day += 86_400_000) {
    const [from, to] = [day, day + 86_400_000].map((t) => new Date(t).toISOString().slice(0, 10));
    const oneDay = resolveWindow({ from, to, timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() });
    for (const row of await queryCutMetrics(db.reader, metric, cut, oneDay, 1)) addCounts(counts, row);
  }
  return counts;
}

function addCounts(counts: Record<string, Record<string, number>>, row: Record<string, unknown>) {
  const sums = (counts[String(row.key)] ??= { n: 0, promoters: 0, passives: 0, detractors: 0 });
  for (const field of Object.keys(sums)) sums[field] += Number(row[field] ?? 0);
  return counts;
}

describe('metric cuts (cx-cuts)', () => {
  it('groups by two place dimensions and filters by place and by the portrait the customer had when answering; a rebuild answers the same', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const { liveDb, rebuiltDb } = await liveAndRebuilt(h, () => h.readModels(`rm-${++n}.db`));
      await expectHandWorked(liveDb);
      expect(await answers(rebuiltDb)).toEqual(await answers(liveDb));
    });
  });

  it('a window of whole weeks answers from the week buckets as the day buckets alone would (any window, every cut)', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      // live (one event a transaction) and rebuilt (many days of a week summed in one transaction)
      const { liveDb, rebuiltDb } = await liveAndRebuilt(h, () => h.readModels(`rm-${++n}.db`));
      const cuts: MetricCut[] = [
        { by: ['touchpoint', 'stage'], place: {} },
        { by: ['channel'], place: {}, portrait: { field: 'segment', value: 'Enterprise' } },
        { by: ['stage'], place: { channel: 'phone' } },
        { by: [], place: {}, portrait: { field: 'segment', value: 'SME' } },
      ];
      let withWeeks = 0;
      for (let first = 1; first <= 9; first += 2) {
        for (const last of [first + 1, first + 8, 30]) {
          const days = { from: `2026-11-${String(first).padStart(2, '0')}`, to: `2026-11-${String(last).padStart(2, '0')}` };
          const window = resolveWindow({ ...days, timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() });
          if (spansOf(window).some((span) => span.table === 'week')) withWeeks++;
          for (const cut of cuts) {
            for (const metric of ['nps', 'ttr'] as const) {
              for (const db of [liveDb, rebuiltDb]) {
                const whole = (await queryCutMetrics(db.reader, metric, cut, window, 1)).reduce(addCounts, {});
                expect(whole).toEqual(await countsDayByDay(db, metric, cut, window));
              }
            }
          }
        }
      }
      expect(withWeeks).toBeGreaterThan(5);
    });
  });

  it('TTR median and p90 of any window (whole weeks and the days around them) are those of the resolution times in it, live and rebuilt', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      // 84 tickets over November, resolved the same day after 1 minute to 15 hours, on two channels
      const tickets = Array.from({ length: 84 }, (_, i) => ({
        customer: `t-${i}`,
        day: 1 + (i % 28),
        minutes: 1 + ((i * 137) % 900),
        channel: i % 3 === 0 ? 'web' : 'phone',
      }));
      const journeys = tickets.map(({ customer, day, minutes, channel }, i) => {
        const opened = Date.parse(at(day, 6));
        return [
          cmd(customer, at(day, 6), 'OpenTicket', { ticketId: `tt-${i}`, touchpoint: 'hotline', channel }),
          cmd(customer, new Date(opened + minutes * 60_000).toISOString(), 'ResolveTicket', { ticketId: `tt-${i}` }),
        ];
      });
      const liveDb = await h.readModels(`rm-${++n}.db`);
      const live = new Projector(h.store, liveDb, [new CxCutsProjection(ZONE)], { batchSize: 7 });
      await live.init();
      for (const journey of journeys) {
        await h.record(journey);
        await live.catchUp();
      }
      const rebuiltDb = await h.readModels(`rm-${++n}.db`);
      await new Projector(h.store, rebuiltDb, [new CxCutsProjection(ZONE)]).rebuild(undefined, { batchSize: 5000 });
      const quantiles = (bins: { bin: number; count: number }[]) => {
        const { medianHours, p90Hours } = METRIC_DEFINITIONS.ttr.value(
          { n: 0, promoters: 0, passives: 0, detractors: 0, top2: 0, bottom2: 0, sum: 0, sumsq: 0, opened: 0 },
          '',
          bins,
        ) as Record<string, unknown>;
        return { medianHours, p90Hours };
      };
      for (const [from, to] of [
        ['2026-11-01', '2026-11-29'],
        ['2026-11-04', '2026-11-27'],
        ['2026-11-09', '2026-11-16'],
        ['2026-11-11', '2026-11-13'],
      ]) {
        const days = resolveWindow({ from, to, timeZone: ZONE, bucketTimeZone: ZONE, now: new Date() });
        for (const db of [liveDb, rebuiltDb]) {
          const rows = await queryCutMetrics(db.reader, 'ttr', { by: ['channel'], place: {} }, days, 1);
          for (const channel of ['phone', 'web']) {
            const counts = new Map<number, number>();
            for (const t of tickets.filter((t) => t.channel === channel && at(t.day).slice(0, 10) >= from && at(t.day).slice(0, 10) < to)) {
              const bin = durationBin(t.minutes * 60_000);
              counts.set(bin, (counts.get(bin) ?? 0) + 1);
            }
            const expected = quantiles([...counts].map(([bin, count]) => ({ bin, count })));
            expect(expected.medianHours).not.toBeNull();
            expect(rows.find((r) => r.key === channel)).toMatchObject(expected);
          }
        }
      }
    });
  });

  it('a TTR read for a trend alone (no quantiles) has the same means, counts and spreads, without median and p90', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      const { liveDb } = await liveAndRebuilt(h, () => h.readModels(`rm-${++n}.db`));
      const cut: MetricCut = { by: ['channel'], place: {} };
      const [full] = await queryCutMetrics(liveDb.reader, 'ttr', cut, window, 1);
      const [trendOnly] = await queryCutMetrics(liveDb.reader, 'ttr', cut, window, 1, undefined, false);
      expect(full).toMatchObject({ key: 'phone', n: 1, value: 2, medianHours: expect.any(Number), p90Hours: expect.any(Number) });
      expect(trendOnly).toEqual({ ...full, medianHours: null, p90Hours: null });
    });
  });

  it('PostgreSQL answers as SQLite does', async () => {
    let onSqlite: unknown;
    await withHarness(sqliteHarness(), async (h) => {
      const { liveDb } = await liveAndRebuilt(h, () => h.readModels(`rm-${++n}.db`));
      onSqlite = await answers(liveDb);
    });
    await withHarness(await postgresHarness(), async (h) => {
      const { liveDb, rebuiltDb } = await liveAndRebuilt(h, () => h.readModels());
      await expectHandWorked(liveDb);
      expect(await answers(liveDb)).toEqual(onSqlite);
      expect(await answers(rebuiltDb)).toEqual(onSqlite);
    });
  }, 30_000);
});
