import { runCli } from './support/cli';
import { createTestDatabase, type TestDatabase } from './support/postgres-test-database';
import { http, postAll, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';

/**
 * Cuts and filters over real HTTP, on a small hand-made set: metrics by two dimensions, by a
 * portrait field (the portrait the customer had when answering), worst touchpoints and series of a
 * cut, the funnel and retention by the customer's portrait; a sealed portrait field refused as a
 * filter; the same answers after `journeyline rebuild` and on PostgreSQL.
 */
const at = (day: number, hour = 10) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
let n = 0;
const event = (customerId: string, type: string, occurredAt: string, data: object) => ({ eventId: `cut-${++n}`, type, customerId, occurredAt, data });
const nps = (c: string, day: number, score: number, touchpoint: string, channel: string, stage: string) =>
  event(c, 'feedback.given', at(day), { kind: 'nps', score, scale: '0-10', touchpoint, channel, stage });
const arrived = (c: string, day: number) => event(c, 'touchpoint.visited', at(day, 9), { touchpoint: 'facebook:ads', channel: 'social', stage: 'awareness' });
const bought = (c: string, day: number) => event(c, 'purchase.made', at(day, 11), { orderId: `${c}-o1`, amount: 100000, currency: 'VND' });

const EVENTS = [
  event('kh-1', 'customer.profiled', at(2, 8), { segment: 'SME', region: 'north' }),
  arrived('kh-1', 2),
  bought('kh-1', 3),
  nps('kh-1', 3, 10, 'hotline', 'phone', 'use'),
  nps('kh-1', 4, 3, 'hotline', 'phone', 'use'),
  event('kh-2', 'customer.profiled', at(2, 8), { segment: 'Enterprise', region: 'south' }),
  arrived('kh-2', 2),
  bought('kh-2', 3),
  nps('kh-2', 3, 9, 'hotline', 'phone', 'use'),
  nps('kh-2', 5, 8, 'hotline', 'phone', 'purchase'),
  nps('kh-2', 6, 0, 'web:pricing', 'web', 'evaluation'),
  event('kh-2', 'touchpoint.visited', at(4, 9), { touchpoint: 'hotline', channel: 'phone', stage: 'use' }),
  event('kh-2', 'customer.churned', at(10), {}),
  // kh-3 answers once before anyone knows its portrait: that answer is in no portrait cut
  arrived('kh-3', 3),
  nps('kh-3', 3, 10, 'hotline', 'phone', 'use'),
  bought('kh-3', 5),
  event('kh-3', 'customer.profiled', at(8, 8), { segment: 'SME', region: 'north' }),
  nps('kh-3', 9, 2, 'hotline', 'phone', 'use'),
];

const WINDOW = 'window=2026-11-01..2026-12-01';
const get = async (server: RunningServer, path: string) => {
  const response = await http(server, 'GET', path);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.text}`);
  return response.body;
};
const counts = (rows: Record<string, unknown>[]) => rows.map((r) => ({ key: r.key, n: r.n, promoters: r.promoters, detractors: r.detractors }));

/** Every cut answer the tests compare across a rebuild and across stores. */
async function answers(server: RunningServer) {
  return {
    byTouchpointStage: (await get(server, `/api/v1/metrics?metric=nps&by=touchpoint,stage&${WINDOW}`)).rows,
    sme: (await get(server, `/api/v1/metrics?metric=nps&segment=SME&${WINDOW}`)).rows,
    smeByTouchpoint: (await get(server, `/api/v1/metrics?metric=nps&by=touchpoint&segment=SME&stage=use&${WINDOW}&compare=previous`)).rows,
    worst: (await get(server, `/api/v1/touchpoints/worst?metric=nps&by=touchpoint,stage&${WINDOW}`)).rows,
    series: (await get(server, `/api/v1/metrics/series?metric=nps&by=touchpoint,stage&key=${encodeURIComponent('hotline|use')}&${WINDOW}`)).points,
    funnelNorth: await get(server, `/api/v1/funnel?region=north&${WINDOW}`),
    funnelSouth: await get(server, `/api/v1/funnel?region=south&${WINDOW}`),
    retentionSouth: await get(server, '/api/v1/retention?period=2026-11&region=south'),
    retentionNorth: await get(server, '/api/v1/retention?period=2026-11&region=north'),
    funnelHotline: await get(server, `/api/v1/funnel?touchpoint=hotline&${WINDOW}`),
    funnelUse: await get(server, `/api/v1/funnel?stage=use&${WINDOW}`),
    retentionPhone: await get(server, '/api/v1/retention?period=2026-11&channel=phone'),
    // two filters, and a split with a filter on another field: counted person by person
    funnelSocialNorth: await get(server, `/api/v1/funnel?channel=social&region=north&${WINDOW}`),
    funnelSocialByRegion: await get(server, `/api/v1/funnel?channel=social&split=region&${WINDOW}`),
    // edges that are not midnights in the buckets' zone: person by person
    retentionUtc: await get(server, '/api/v1/retention?period=2026-11&tz=UTC'),
  };
}

describe('metric cuts and portrait filters (e2e)', () => {
  const env = { JOURNEYLINE_PERSONAL_FIELDS: 'gender', JOURNEYLINE_TZ: 'Asia/Ho_Chi_Minh' };
  const dataDir = tempDataDir();
  let server: RunningServer;
  let onSqlite: Awaited<ReturnType<typeof answers>>;

  beforeAll(async () => {
    server = await startServer(env, dataDir);
    await postAll(server, EVENTS);
    await settled(server);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('groups by touchpoint × stage and filters by segment, as worked by hand', async () => {
    onSqlite = await answers(server);
    const a = onSqlite;
    // hotline × use: 10, 3, 9, 10, 2 → 3 promoters, 2 detractors of 5 → NPS 20
    expect(counts(a.byTouchpointStage)).toEqual([
      { key: 'hotline|purchase', n: 1, promoters: 0, detractors: 0 },
      { key: 'hotline|use', n: 5, promoters: 3, detractors: 2 },
      { key: 'web:pricing|evaluation', n: 1, promoters: 0, detractors: 1 },
    ]);
    expect(a.byTouchpointStage.map((r: { keys: unknown; value: number }) => [r.keys, r.value])).toEqual([
      [{ touchpoint: 'hotline', stage: 'purchase' }, 0],
      [{ touchpoint: 'hotline', stage: 'use' }, 20],
      [{ touchpoint: 'web:pricing', stage: 'evaluation' }, -100],
    ]);
    // SME: kh-1's 10 and 3, kh-3's 2 (its 10 came before its profile) → (1 − 2) / 3 = −33.3
    expect(counts(a.sme)).toEqual([{ key: '*', n: 3, promoters: 1, detractors: 2 }]);
    expect(a.sme[0].value).toBeCloseTo(-33.3, 0);
    expect(counts(a.smeByTouchpoint)).toEqual([{ key: 'hotline', n: 3, promoters: 1, detractors: 2 }]);
    expect(a.smeByTouchpoint[0].trend).toMatchObject({ previousN: 0 });
    // worst first by the upper bound of the interval: web:pricing × evaluation (one detractor) is not first on one answer
    expect(a.worst.map((r: { key: string }) => r.key).sort()).toEqual(['hotline|purchase', 'hotline|use', 'web:pricing|evaluation']);
    expect(a.worst.every((r: { trend?: unknown }) => r.trend !== undefined)).toBe(true);
    expect(a.series.map((p: { day: string; n: number }) => [p.day, p.n])).toEqual([
      ['2026-11-03', 3],
      ['2026-11-04', 1],
      ['2026-11-09', 1],
    ]);
  });

  it('filters the funnel and retention by region (the customer’s latest portrait)', async () => {
    const a = onSqlite;
    expect(a.funnelNorth.groups.map((g: { cohort: number }) => g.cohort)).toEqual([2]);
    expect(a.funnelSouth.groups.map((g: { cohort: number }) => g.cohort)).toEqual([1]);
    expect(a.funnelNorth.filters).toEqual({ region: 'north' });
    expect(a.retentionSouth).toMatchObject({ startCustomers: 0, newCustomers: 1, endCustomers: 0, lostCustomers: 1 });
    expect(a.retentionNorth).toMatchObject({ startCustomers: 0, newCustomers: 2, endCustomers: 2, lostCustomers: 0 });
    const all = await get(server, '/api/v1/retention?period=2026-11');
    expect(all).toMatchObject({ newCustomers: 3, endCustomers: 2, lostCustomers: 1 });
  });

  it('filters the funnel and retention by a place: the customers who visited the touchpoint, used the channel, reached the stage', async () => {
    const a = onSqlite;
    // kh-2 alone called the hotline (on the phone, at the use stage)
    expect(a.funnelHotline.groups.map((g: { cohort: number }) => g.cohort)).toEqual([1]);
    expect(a.funnelHotline.filters).toEqual({ touchpoint: 'hotline' });
    expect(a.funnelUse.groups[0].stages.map((s: { customers: number }) => s.customers)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(a.retentionPhone).toMatchObject({ startCustomers: 0, newCustomers: 1, endCustomers: 0, lostCustomers: 1 });
    expect(a.funnelSocialNorth.groups.map((g: { cohort: number }) => g.cohort)).toEqual([2]);
    expect(a.funnelSocialByRegion.groups.map((g: { group: string; cohort: number }) => [g.group, g.cohort])).toEqual([
      ['north', 2],
      ['south', 1],
    ]);
    expect(a.retentionUtc).toMatchObject({ newCustomers: 3, endCustomers: 2, lostCustomers: 1 });
  });

  it('refuses a sealed portrait field as a filter, two portrait filters on a metric, and cuts of a distribution, with 400 saying why', async () => {
    for (const path of [
      `/api/v1/metrics?metric=nps&gender=f&${WINDOW}`,
      '/api/v1/funnel?gender=f',
      '/api/v1/retention?gender=f',
      '/api/v1/touchpoints/worst?metric=nps&gender=f',
    ]) {
      const response = await http(server, 'GET', path);
      expect(response.status).toBe(400);
      expect(response.body.errors[0]).toMatchObject({ field: 'gender' });
      expect(response.body.errors[0].reason).toMatch(/sealed as personal data/);
    }
    const two = await http(server, 'GET', `/api/v1/metrics?metric=nps&segment=SME&region=north&${WINDOW}`);
    expect(two.status).toBe(400);
    expect(two.body.errors[0].reason).toMatch(/one portrait filter at a time/);
    const distribution = await http(server, 'GET', `/api/v1/metrics/distribution?metric=nps&by=touchpoint&key=hotline&segment=SME&${WINDOW}`);
    expect(distribution.status).toBe(400);
    expect(distribution.body.errors[0]).toMatchObject({ field: 'segment' });
    const badPair = await http(server, 'GET', `/api/v1/metrics?metric=nps&by=touchpoint,touchpoint&${WINDOW}`);
    expect(badPair.status).toBe(400);
    expect(badPair.body.errors[0]).toMatchObject({ field: 'by' });
  });

  it('answers the same after journeyline rebuild', async () => {
    await server.stop();
    const saved = process.env.JOURNEYLINE_PERSONAL_FIELDS;
    process.env.JOURNEYLINE_PERSONAL_FIELDS = 'gender';
    try {
      expect(await runCli(dataDir, 'rebuild')).toMatch(/rebuilt/);
    } finally {
      if (saved === undefined) delete process.env.JOURNEYLINE_PERSONAL_FIELDS;
      else process.env.JOURNEYLINE_PERSONAL_FIELDS = saved;
    }
    server = await startServer(env, dataDir);
    await settled(server);
    expect(await answers(server)).toEqual(onSqlite);
  }, 60_000);

  describe('on PostgreSQL', () => {
    let database: TestDatabase;
    let pg: RunningServer | undefined;
    beforeAll(async () => {
      database = await createTestDatabase('jl_cuts');
    });
    afterAll(async () => {
      await pg?.stop();
      await database?.drop();
    });

    it('gives the same answers as SQLite', async () => {
      pg = await startServer({ ...env, JOURNEYLINE_STORE: 'postgres', JOURNEYLINE_STORE_URL: database.url });
      await postAll(pg, EVENTS);
      await settled(pg);
      expect(await answers(pg)).toEqual(onSqlite);
    }, 60_000);
  });
});
