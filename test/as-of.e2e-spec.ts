import { http, postAll, settled, startServer, type RunningServer } from './support/running-server';
import { bought, npsAnswer } from './support/wire-events';

/**
 * As-of reads over real HTTP: answers late for the day they describe change the hotline's NPS and
 * the customer's journey from the moment they were recorded, and a read as of a moment between
 * the two posts answers what Journeyline said then (the day's part replayed from the log).
 */
const HOTLINE = { touchpoint: 'hotline', channel: 'phone', stage: 'use' };
const nps = (eventId: string, customerId: string, score: number, occurredAt: string) => npsAnswer(eventId, customerId, HOTLINE, score, occurredAt);
const visited = (eventId: string, customerId: string, occurredAt: string) => ({
  eventId,
  type: 'touchpoint.visited',
  customerId,
  occurredAt,
  data: { touchpoint: 'facebook:ads', channel: 'social', stage: 'awareness' },
});
const WINDOW = 'window=2026-11-01..2026-12-01';

describe('asOf: what Journeyline said at a past moment', () => {
  let server: RunningServer;
  let between: string;
  beforeAll(async () => {
    server = await startServer();
    await postAll(server, [
      visited('v-1', 'kh-1', '2026-11-18T08:00:00+07:00'),
      visited('v-2', 'kh-2', '2026-11-18T08:00:00+07:00'),
      bought('b-2', 'kh-2', '2026-11-19T08:00:00+07:00'),
      nps('on-time-1', 'kh-1', 10, '2026-11-20T09:00:00+07:00'),
      nps('on-time-2', 'kh-2', 9, '2026-11-20T10:00:00+07:00'),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // late: given on the 19th, recorded now
    await postAll(server, [
      nps('late-1', 'kh-1', 0, '2026-11-19T15:00:00+07:00'),
      visited('v-3', 'kh-3', '2026-11-18T09:00:00+07:00'),
      bought('b-3', 'kh-3', '2026-11-19T09:00:00+07:00'),
      nps('late-2', 'kh-3', 2, '2026-11-19T16:00:00+07:00'),
    ]);
    await settled(server);
  }, 60_000);
  afterAll(() => server?.stop());

  const get = async (path: string) => {
    const response = await http(server, 'GET', path);
    expect(response.status).toBe(200);
    return response.body;
  };

  it('metrics by touchpoint, series, distribution and worst touchpoints answer as of before the late answers, and say how', async () => {
    const then = await get(`/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}&asOf=${encodeURIComponent(between)}`);
    expect(then.asOf).toEqual({ asOf: between, path: 'recorded-day buckets + the day replayed', eventsReplayed: expect.any(Number) });
    expect(then.rows).toMatchObject([{ key: 'hotline', value: 100, n: 2 }]);
    const now = await get(`/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}`);
    expect(now.asOf).toBeUndefined();
    expect(now.rows).toMatchObject([{ key: 'hotline', value: 0, n: 4 }]);

    const series = await get(`/api/v1/metrics/series?metric=nps&by=touchpoint&key=hotline&${WINDOW}&asOf=${encodeURIComponent(between)}`);
    expect(series.points.map((p: { day: string; n: number }) => [p.day, p.n])).toEqual([['2026-11-20', 2]]);
    const distribution = await get(`/api/v1/metrics/distribution?metric=nps&by=touchpoint&key=hotline&${WINDOW}&asOf=${encodeURIComponent(between)}`);
    expect(distribution.counts.map((c: { score: number; count: number }) => [c.score, c.count])).toEqual([
      [9, 1],
      [10, 1],
    ]);
    const worst = await get(`/api/v1/touchpoints/worst?metric=nps&${WINDOW}&asOf=${encodeURIComponent(between)}&minSample=1`);
    expect(worst.rows).toMatchObject([{ key: 'hotline', value: 100 }]);
    // each says how it was answered
    for (const answer of [series, distribution, worst])
      expect(answer.asOf).toMatchObject({ asOf: between, path: expect.stringMatching(/^recorded-day buckets/) });
  });

  it('a bare date is midnight in the configured zone: a date after today counts everything, one long past nothing', async () => {
    const future = await get(`/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}&asOf=2099-01-01`);
    expect(future.asOf.asOf).toBe('2098-12-31T17:00:00.000Z');
    expect(future.asOf.path).toBe('recorded-day buckets');
    expect(future.rows).toMatchObject([{ key: 'hotline', n: 4 }]);
    const past = await get(`/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}&asOf=2026-01-01&tz=UTC`);
    expect(past.asOf.asOf).toBe('2026-01-01T00:00:00.000Z');
    expect(past.rows).toEqual([]);
    // the journey too (it reads the same helper): midnight in JOURNEYLINE_TZ, or in tz
    const journey = await get('/api/v1/customers/kh-1/journey?asOf=2099-01-01');
    expect(journey.asOf).toBe('2098-12-31T17:00:00.000Z');
    expect(journey.feedback).toHaveLength(2);
    expect((await get('/api/v1/customers/kh-1/journey?asOf=2099-01-01&tz=UTC')).asOf).toBe('2099-01-01T00:00:00.000Z');
  });

  it('a window counted back from today counts back from asOf instead (as Journeyline counted it then); one with dates stays as given', async () => {
    // as of 1 January 2036 (midnight in Asia/Ho_Chi_Minh), the last 3660 days end with that day: 2025-12-25 up to 2036-01-02
    const relative = await get('/api/v1/metrics?metric=nps&by=touchpoint&window=3660d&asOf=2036-01-01');
    expect(relative.window).toMatchObject({ fromDay: '2025-12-25', toDay: '2036-01-02', days: 3660 });
    const explicit = await get('/api/v1/metrics?metric=nps&by=touchpoint&window=2025-12-25..2036-01-02&asOf=2036-01-01');
    expect(explicit.window).toEqual(relative.window);
    expect(relative.rows).toEqual(explicit.rows);
    expect(relative.rows).toMatchObject([{ key: 'hotline', n: 4 }]);
    // an explicit window is the same with or without asOf
    expect((await get(`/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}&asOf=2036-01-01`)).window).toEqual(
      (await get(`/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}`)).window,
    );

    // the same for the reads replayed from the log: the funnel, retention, explain's two windows
    const funnel = await get('/api/v1/funnel?window=3660d&asOf=2036-01-01');
    expect(funnel.window).toMatchObject({ from: '2025-12-24T17:00:00.000Z', to: '2036-01-01T17:00:00.000Z' });
    expect(funnel.groups).toMatchObject([{ group: 'all', cohort: 3 }]);
    expect(funnel.groups).toEqual((await get('/api/v1/funnel?window=2025-12-25..2036-01-02&asOf=2036-01-01')).groups);
    const retention = await get('/api/v1/retention?window=30d&asOf=2036-01-01');
    expect(retention).toMatchObject({ from: '2035-12-02T17:00:00.000Z', to: '2036-01-01T17:00:00.000Z' });
    const explain = await get('/api/v1/metrics/explain?metric=nps&touchpoint=hotline&window=7d&asOf=2036-01-01');
    expect(explain.window).toMatchObject({ fromDay: '2035-12-26', toDay: '2036-01-02' });
    expect(explain.previousWindow).toMatchObject({ fromDay: '2035-12-19', toDay: '2035-12-26' });
    // cohorts without a period: the twelve months up to asOf's month (in the configured zone)
    const cohorts = await get('/api/v1/retention/cohorts?asOf=2036-01-01');
    expect(cohorts).toMatchObject({ from: '2035-01-31T17:00:00.000Z', to: '2036-01-31T17:00:00.000Z' });
  });

  it('the journey as of before the late answer holds only what was recorded by then; as of before anything, the customer is unknown', async () => {
    const then = await get(`/api/v1/customers/kh-1/journey?asOf=${encodeURIComponent(between)}`);
    expect(then.asOf).toBe(between);
    // the facts of kh-1's stream recorded by then: the visit (and the stage it entered) and the on-time answer
    expect(then.asOfStatement).toEqual({ asOf: between, path: 'stream', eventsReplayed: 3 });
    expect((await get('/api/v1/customers/kh-1/journey')).asOfStatement).toBeUndefined();
    const now = await get('/api/v1/customers/kh-1/journey');
    const scores = (journey: { feedback: { score: number }[] }) => journey.feedback.map((f) => f.score).sort();
    expect(scores(then)).toEqual([10]);
    expect(scores(now)).toEqual([0, 10]);
    expect((await http(server, 'GET', '/api/v1/customers/kh-1/journey?asOf=2026-01-01')).status).toBe(404);
  });

  it('the customer list, the funnel, retention and cohorts as of before the late events, replayed from the log', async () => {
    const at = `asOf=${encodeURIComponent(between)}`;
    const listThen = await get(`/api/v1/customers?${at}&sort=customerId`);
    expect(listThen.asOf).toEqual({ asOf: between, path: 'replay', eventsReplayed: expect.any(Number), replayMs: expect.any(Number) });
    expect(listThen.items.map((c: { customerId: string }) => c.customerId)).toEqual(['kh-1', 'kh-2']);
    expect((await get('/api/v1/customers?sort=customerId')).items.map((c: { customerId: string }) => c.customerId)).toEqual(['kh-1', 'kh-2', 'kh-3']);

    const cohort = (funnel: { groups: { cohort: number }[] }) => funnel.groups.reduce((sum, g) => sum + g.cohort, 0);
    const funnelThen = await get(`/api/v1/funnel?${WINDOW}&${at}`);
    expect(funnelThen.asOf.path).toBe('replay');
    expect(cohort(funnelThen)).toBe(2);
    expect(cohort(await get(`/api/v1/funnel?${WINDOW}`))).toBe(3);

    const retentionThen = await get(`/api/v1/retention?period=2026-11&${at}`);
    expect(retentionThen).toMatchObject({ newCustomers: 1, asOf: { asOf: between, path: 'replay' } });
    expect(await get('/api/v1/retention?period=2026-11')).toMatchObject({ newCustomers: 2 });
    const cohortsThen = await get(`/api/v1/retention/cohorts?period=2026-11&${at}`);
    expect(cohortsThen.cohorts.reduce((sum: number, c: { customers: number }) => sum + c.customers, 0)).toBe(1);
    // asked again: the replay is kept
    expect((await get(`/api/v1/customers?${at}`)).asOf.replayMs).toBe(0);
  });

  it('the reads that refused asOf answer it now, saying so; a bad asOf is a 400', async () => {
    for (const path of [
      `/api/v1/touchpoints/by-stage?metric=nps&${WINDOW}&asOf=2026-11-21`,
      `/api/v1/touchpoints/hotline/comments?${WINDOW}&asOf=2026-11-21`,
      `/api/v1/follow-ups/stats?${WINDOW}&asOf=2026-11-21`,
      `/api/v1/surveys/response-rates?${WINDOW}&asOf=2026-11-21`,
    ])
      expect((await get(path)).asOf).toMatchObject({ asOf: '2026-11-20T17:00:00.000Z', path: 'replay' });
    const bad = await http(server, 'GET', `/api/v1/metrics?metric=nps&${WINDOW}&asOf=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('asOf must be a date');
  });
});

/**
 * The reads answered from read models replayed up to `asOf` (metric cuts, metrics by owner,
 * attention, explain): each answer as of a moment before late events equals the answer the server
 * gave at that moment, taken before the late events were posted, and differs from today's. The
 * late events change the scores (late detractors at the hotline), the catalog (the shop moves to
 * another owner team) and the targets (the shop gets one of its own).
 */
const SHOP = { touchpoint: 'shop', channel: 'store', stage: 'choice' };
const CUSTOMERS = Array.from({ length: 10 }, (_, i) => `kh-${i + 1}`);
const registered = (channel: string, stage: string, owner: string, experienceType: string) => ({
  names: { vi: 'Điểm chạm', en: 'Touchpoint' },
  channel,
  stage,
  owner,
  experienceType,
});

describe('asOf from replayed read models: cuts, metrics by owner, attention, explain, by stage, comments, follow-ups, response rates', () => {
  let server: RunningServer;
  let between: string;
  const READS = {
    cut: `/api/v1/metrics?metric=nps&by=touchpoint,stage&segment=SME&${WINDOW}`,
    cutSeries: `/api/v1/metrics/series?metric=nps&by=touchpoint,stage&key=${encodeURIComponent('hotline|use')}&segment=SME&${WINDOW}`,
    cutWorst: `/api/v1/touchpoints/worst?metric=nps&by=touchpoint,stage&segment=SME&minSample=1&${WINDOW}`,
    owner: `/api/v1/metrics?metric=nps&by=owner&${WINDOW}`,
    attention: `/api/v1/touchpoints/attention?${WINDOW}`,
    explain: '/api/v1/metrics/explain?metric=nps&touchpoint=hotline&from=2026-11-20&to=2026-11-22',
    byStage: `/api/v1/touchpoints/by-stage?metric=nps&minSample=1&${WINDOW}`,
    comments: `/api/v1/touchpoints/hotline/comments?${WINDOW}`,
    // follow-ups and survey links are opened and sent today: windows that reach today
    followUps: '/api/v1/follow-ups/stats?window=90d',
    responseRates: '/api/v1/surveys/response-rates?window=30d',
    responseRate: '/api/v1/surveys/nps-shop/response-rate?window=30d',
  };
  /** What the server answered at `between`, before the late events. */
  const then: Record<string, any> = {};
  const links: { customerId: string; token: string }[] = [];

  const get = async (path: string) => {
    const response = await http(server, 'GET', path);
    expect(response.status).toBe(200);
    return response.body;
  };
  const put = async (method: string, path: string, body: object) => {
    const response = await http(server, method, path, body);
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${response.text}`);
  };

  beforeAll(async () => {
    server = await startServer();
    await put('PUT', '/api/v1/touchpoints/hotline', registered('phone', 'use', 'cskh', 'feel'));
    await put('PUT', '/api/v1/touchpoints/shop', registered('store', 'choice', 'sales', 'act'));
    await put('POST', '/api/v1/targets', { metric: 'nps', min: 0 });
    await postAll(server, [
      ...CUSTOMERS.map((id) => ({
        eventId: `p-${id}`,
        type: 'customer.profiled',
        customerId: id,
        occurredAt: '2026-11-01T08:00:00+07:00',
        data: { segment: 'SME' },
      })),
      // the hotline: two passives the week before, two promoters (one with a comment) this week
      npsAnswer('h-1', 'kh-1', HOTLINE, 8, '2026-11-18T09:00:00+07:00'),
      npsAnswer('h-2', 'kh-2', HOTLINE, 7, '2026-11-18T10:00:00+07:00'),
      npsAnswer('h-3', 'kh-1', HOTLINE, 10, '2026-11-20T09:00:00+07:00', 'Tư vấn nhiệt tình'),
      npsAnswer('h-4', 'kh-2', HOTLINE, 9, '2026-11-20T10:00:00+07:00'),
      // the shop: eight detractors, below the company-wide target
      ...CUSTOMERS.slice(2).map((id, i) => npsAnswer(`s-${i}`, id, SHOP, 1, '2026-11-20T11:00:00+07:00')),
    ]);
    // a survey at the shop, two links sent, one answered (a promoter, dated today: outside WINDOW)
    await put('POST', '/api/v1/surveys', { surveyId: 'nps-shop', metric: 'nps', ...SHOP, question: { vi: 'Giới thiệu?', en: 'Recommend?' } });
    for (const customerId of ['kh-3', 'kh-4']) {
      const made = await http(server, 'POST', '/api/v1/surveys/nps-shop/links', { customerId });
      expect(made.status).toBe(201);
      links.push({ customerId, token: made.body.token });
    }
    await put('POST', '/api/v1/surveys/nps-shop/answers', { customerId: 'kh-3', score: 9, linkToken: links[0].token });
    await settled(server);
    for (const [name, path] of Object.entries(READS)) then[name] = await get(path);
    await new Promise((resolve) => setTimeout(resolve, 30));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // late: twenty detractors at the hotline given on the 19th (one with a comment), a visit to the
    // shop, the shop moved to another team and given its own target, the second survey link answered
    await postAll(server, [
      ...CUSTOMERS.map((id, i) => npsAnswer(`late-a-${i}`, id, HOTLINE, 0, '2026-11-19T15:00:00+07:00', i === 0 ? 'Chờ máy quá lâu' : undefined)),
      { eventId: 'late-visit', type: 'touchpoint.visited', customerId: 'kh-1', occurredAt: '2026-11-19T08:00:00+07:00', data: SHOP },
      ...CUSTOMERS.map((id, i) => npsAnswer(`late-b-${i}`, id, HOTLINE, 3, '2026-11-19T16:00:00+07:00')),
    ]);
    await put('PUT', '/api/v1/touchpoints/shop', registered('store', 'choice', 'retail', 'act'));
    await put('POST', '/api/v1/targets', { metric: 'nps', touchpoint: 'shop', min: -100 });
    await put('POST', '/api/v1/surveys/nps-shop/answers', { customerId: 'kh-4', score: 10, linkToken: links[1].token });
    await settled(server);
  }, 60_000);
  afterAll(() => server?.stop());

  /** The read as of `between`, which must say it was replayed. */
  const asOfBetween = async (path: string) => {
    const { asOf, ...answered } = await get(`${path}&asOf=${encodeURIComponent(between)}`);
    expect(asOf).toEqual({ asOf: between, path: 'replay', eventsReplayed: expect.any(Number), replayMs: expect.any(Number) });
    return answered;
  };

  it('a cut (two dimensions, a portrait filter) as of before the late answers: rows, series and worst as the server answered then', async () => {
    expect(then.cut.rows).toMatchObject([
      { key: 'hotline|use', value: 50, n: 4 },
      { key: 'shop|choice', value: -100, n: 8 },
    ]);
    for (const read of ['cut', 'cutSeries', 'cutWorst'] as const) {
      expect(await asOfBetween(READS[read])).toEqual(then[read]);
      expect(await get(READS[read])).not.toEqual(then[read]);
    }
    expect((await get(READS.cut)).rows).toMatchObject([{ key: 'hotline|use', n: 24 }, { key: 'shop|choice' }]);
  });

  it('metrics by owner as of before: the catalog as it was (the shop still with sales) and the scores as they were', async () => {
    expect(then.owner.rows).toMatchObject([
      { key: 'cskh', value: 50, n: 4 },
      { key: 'sales', value: -100, n: 8 },
    ]);
    expect(await asOfBetween(READS.owner)).toEqual(then.owner);
    expect((await get(READS.owner)).rows).toMatchObject([
      { key: 'cskh', value: -75, n: 24 },
      { key: 'retail', value: -100, n: 8 },
    ]);
  });

  it('attention as of before: the shop below the company-wide target, owned by sales; now the hotline instead', async () => {
    expect(then.attention.rows).toMatchObject([{ touchpoint: 'shop', metric: 'nps', owner: 'sales', referenceKind: 'target', reference: 0 }]);
    expect(await asOfBetween(READS.attention)).toEqual(then.attention);
    expect((await get(READS.attention)).rows).toMatchObject([{ touchpoint: 'hotline', metric: 'nps', owner: 'cskh' }]);
  });

  it('explain as of before: the previous window without the late detractors, the same answers listed', async () => {
    expect(then.explain).toMatchObject({ current: { value: 100, n: 2 }, previous: { value: 0, n: 2 }, change: 100 });
    expect(then.explain.answers).toMatchObject([{ eventId: 'h-3', score: 10 }]);
    expect(await asOfBetween(READS.explain)).toEqual(then.explain);
    const now = await get(READS.explain);
    expect(now.previous).toMatchObject({ n: 22 });
    expect(now.change).not.toBe(then.explain.change);
  });

  it('touchpoints by stage as of before: the hotline without the late detractors, the shop without the late visit', async () => {
    const row = (answer: any, touchpoint: string) => answer.rows.find((r: any) => r.touchpoint === touchpoint);
    expect(row(then.byStage, 'hotline')).toMatchObject({ value: 50, n: 4 });
    expect(row(then.byStage, 'shop').visits.choice ?? 0).toBe(0);
    expect(await asOfBetween(READS.byStage)).toEqual(then.byStage);
    const now = await get(READS.byStage);
    expect(row(now, 'hotline')).toMatchObject({ n: 24 });
    expect(row(now, 'shop').visits.choice).toBe(1);
  });

  it("the hotline's comments as of before: only the one recorded by then; now the late one too", async () => {
    expect(then.comments.items.map((c: any) => c.comment)).toEqual(['Tư vấn nhiệt tình']);
    expect(await asOfBetween(READS.comments)).toEqual(then.comments);
    expect((await get(READS.comments)).items.map((c: any) => c.comment).sort()).toEqual(['Chờ máy quá lâu', 'Tư vấn nhiệt tình']);
  });

  it('follow-up stats as of before: only the follow-ups the shop detractors opened; now the late detractors too', async () => {
    expect(then.followUps.opened).toBe(8);
    expect(await asOfBetween(READS.followUps)).toEqual(then.followUps);
    expect((await get(READS.followUps)).opened).toBe(28);
  });

  it('survey response rates as of before: one of the two links answered; now both', async () => {
    expect(then.responseRates.items).toMatchObject([{ surveyId: 'nps-shop', sent: 2, answered: 1 }]);
    expect(then.responseRate).toMatchObject({ surveyId: 'nps-shop', sent: 2, answered: 1 });
    for (const read of ['responseRates', 'responseRate'] as const) {
      expect(await asOfBetween(READS[read])).toEqual(then[read]);
      expect(await get(READS[read])).not.toEqual(then[read]);
    }
    expect((await get(READS.responseRate)).answered).toBe(2);
  });
});
