import { http, postAll, type RunningServer, serverForSuite, settled, startServer } from './support/running-server';

/** Metrics and reports over real HTTP, checked against numbers worked by hand. */
const day = (d: number, time = '10:00:00') => `2026-10-${String(d).padStart(2, '0')}T${time}+07:00`;
let seq = 0;
const nps = (customerId: string, score: number, touchpoint: string, at = day(5)) => ({
  eventId: `n-${++seq}`,
  type: 'feedback.given',
  customerId,
  occurredAt: at,
  data: { kind: 'nps', score, scale: '0-10', touchpoint, channel: 'phone', stage: 'use' },
});

describe('read models over HTTP (e2e)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ JOURNEYLINE_MIN_SAMPLE: '30' });
    const events: object[] = [];
    // hotline: 10 promoters, 5 passives, 5 detractors → NPS 25
    [10, 9, 9, 10, 9, 10, 9, 9, 10, 9].forEach((s, i) => events.push(nps(`h-${i}`, s, 'hotline')));
    [7, 8, 7, 8, 7].forEach((s, i) => events.push(nps(`h-p${i}`, s, 'hotline')));
    [0, 3, 6, 5, 2].forEach((s, i) => events.push(nps(`h-d${i}`, s, 'hotline')));
    // web:checkout: 300 answers at NPS −20; store:q1: 3 detractors (a tiny sample)
    for (let i = 0; i < 300; i++) events.push(nps(`w-${i}`, i < 60 ? 10 : i < 180 ? 8 : 4, 'web:checkout'));
    for (let i = 0; i < 3; i++) events.push(nps(`s-${i}`, 1, 'store:q1'));
    // CSAT on 1-5: 74 satisfied of 107 at chat
    for (let i = 0; i < 107; i++)
      events.push({
        eventId: `cs-${i}`,
        type: 'feedback.given',
        customerId: `cs-${i}`,
        occurredAt: day(6),
        data: { kind: 'csat', score: i < 74 ? (i % 2 ? 4 : 5) : 2, scale: '1-5', touchpoint: 'chat', channel: 'chat' },
      });
    // CES on 1-7: 350 points over 100 answers
    for (let i = 0; i < 100; i++)
      events.push({
        eventId: `ce-${i}`,
        type: 'feedback.given',
        customerId: `ce-${i}`,
        occurredAt: day(6),
        data: { kind: 'ces', score: i < 50 ? 2 : 5, scale: '1-7', touchpoint: 'app:checkout', channel: 'mobile' },
      });
    // TTR: 30 tickets resolved after 4 hours each (120 hours in all)
    for (let i = 0; i < 30; i++) {
      events.push({
        eventId: `to-${i}`,
        type: 'ticket.opened',
        customerId: `t-${i}`,
        occurredAt: day(7, '08:00:00'),
        data: { ticketId: `T-${i}`, touchpoint: 'hotline', channel: 'phone' },
      });
      events.push({ eventId: `tr-${i}`, type: 'ticket.resolved', customerId: `t-${i}`, occurredAt: day(7, '12:00:00'), data: { ticketId: `T-${i}` } });
    }
    // an answer at 23:30 in Ho Chi Minh City on 2026-10-20, and one at 00:30 on 2026-10-21
    events.push(nps('late-1', 10, 'zalo-oa', '2026-10-20T23:30:00+07:00'), nps('late-2', 0, 'zalo-oa', '2026-10-21T00:30:00+07:00'));
    await postAll(server, events);
    await settled(server);
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });

  const get = async (path: string) => {
    const response = await http(server, 'GET', path);
    expect(response.status).toBe(200);
    return response.body;
  };
  const octoberWindow = 'from=2026-10-01&to=2026-11-01';

  it('NPS per touchpoint: 10 promoters, 5 passives, 5 detractors → 25, not yet meaningful under 30 answers', async () => {
    const body = await get(`/api/v1/metrics?metric=nps&by=touchpoint&${octoberWindow}`);
    const hotline = body.rows.find((r: any) => r.key === 'hotline');
    expect(hotline).toMatchObject({ value: 25, n: 20, promoters: 10, passives: 5, detractors: 5, meaningful: false });
    expect(hotline.low).toBeLessThan(25);
    expect(hotline.high).toBeGreaterThan(25);
    expect(body.rows.find((r: any) => r.key === 'web:checkout')).toMatchObject({ value: -20, n: 300, meaningful: true });
  });

  it('CSAT 74 of 107 → 69.16%, CES 350 over 100 → 3.50, TTR 120 h over 30 → 4 h', async () => {
    const csat = await get(`/api/v1/metrics?metric=csat&by=touchpoint&${octoberWindow}`);
    expect(csat.rows).toEqual([expect.objectContaining({ key: 'chat', scale: '1-5', value: 69.16, n: 107, satisfied: 74 })]);
    const ces = await get(`/api/v1/metrics?metric=ces&by=channel&${octoberWindow}`);
    expect(ces.rows).toEqual([expect.objectContaining({ key: 'mobile', scale: '1-7', value: 3.5, n: 100 })]);
    const ttr = await get(`/api/v1/metrics?metric=ttr&by=touchpoint&${octoberWindow}`);
    expect(ttr.rows).toEqual([expect.objectContaining({ key: 'hotline', value: 4, n: 30, opened: 30, resolved: 30 })]);
    expect(ttr.rows[0].medianHours).toBeCloseTo(4, 0);
  });

  it('buckets days in Ho Chi Minh City time: 23:30 is that day, 00:30 the next', async () => {
    const the20th = await get('/api/v1/metrics?metric=nps&by=touchpoint&from=2026-10-20&to=2026-10-21');
    expect(the20th.rows).toEqual([expect.objectContaining({ key: 'zalo-oa', value: 100, n: 1 })]);
    const the21st = await get('/api/v1/metrics?metric=nps&by=touchpoint&window=2026-10-21..2026-10-22');
    expect(the21st.rows).toEqual([expect.objectContaining({ key: 'zalo-oa', value: -100, n: 1 })]);
  });

  it('an empty window has no rows; a bad window is a 400 naming the field', async () => {
    expect((await get('/api/v1/metrics?metric=nps&by=touchpoint&from=2025-01-01&to=2025-02-01')).rows).toEqual([]);
    const bad = await http(server, 'GET', '/api/v1/metrics?metric=nps&window=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('window');
    expect((await http(server, 'GET', '/api/v1/metrics?metric=happiness')).status).toBe(400);
  });

  it('worst touchpoints rank 300 answers at −20 above 3 detractors, with a trend', async () => {
    const body = await get(`/api/v1/touchpoints/worst?metric=nps&${octoberWindow}`);
    const keys = body.rows.map((r: any) => r.key);
    expect(keys.indexOf('web:checkout')).toBeLessThan(keys.indexOf('store:q1'));
    expect(keys[0]).toBe('web:checkout');
    expect(body.rows[0].trend).toEqual({ previousValue: null, previousN: 0, delta: null, direction: 'unknown', significance: 'no-clear-change' });
  });

  it('the overall NPS is the all-dimension row', async () => {
    const body = await get(`/api/v1/metrics?metric=nps&${octoberWindow}`);
    expect(body.rows).toEqual([expect.objectContaining({ key: '*', n: 20 + 300 + 3 + 2 })]);
  });
});

describe('retention, funnel, customers and churn risks over HTTP (e2e)', () => {
  const running = serverForSuite();

  it('start 1,000, new 250, end 1,100 → retention 85%, churn 15%', async () => {
    const events: object[] = [];
    for (let i = 0; i < 1000; i++)
      events.push({
        eventId: `p-${i}`,
        type: 'purchase.made',
        customerId: `r-${i}`,
        occurredAt: '2026-09-10T10:00:00+07:00',
        data: { orderId: `o-${i}`, amount: 100000 },
      });
    for (let i = 0; i < 150; i++)
      events.push({ eventId: `ch-${i}`, type: 'customer.churned', customerId: `r-${i}`, occurredAt: '2026-10-15T10:00:00+07:00', data: { reason: 'price' } });
    for (let i = 1000; i < 1250; i++)
      events.push({
        eventId: `p-${i}`,
        type: 'purchase.made',
        customerId: `r-${i}`,
        occurredAt: '2026-10-20T10:00:00+07:00',
        data: { orderId: `o-${i}`, amount: 100000 },
      });
    await postAll(running(), events);
    await settled(running());
    const body = (await http(running(), 'GET', '/api/v1/retention?period=2026-10')).body;
    expect(body).toMatchObject({ startCustomers: 1000, newCustomers: 250, endCustomers: 1100, lostCustomers: 150, retentionRate: 85, churnRate: 15 });
    const quarter = (await http(running(), 'GET', '/api/v1/retention?period=2026-Q4')).body;
    expect(quarter).toMatchObject({ startCustomers: 1000, retentionRate: 85 });
    const cohorts = (await http(running(), 'GET', '/api/v1/retention/cohorts?from=2026-09-01&to=2026-11-01')).body.cohorts;
    expect(cohorts[0]).toMatchObject({ cohort: '2026-09', customers: 1000 });
    expect(cohorts[0].retained.slice(0, 2)).toEqual([100, 85]);
  });

  it('the funnel counts a cohort stage by stage and lists customers with filters and a cursor', async () => {
    const visit = (c: string, stage: string, d: number, touchpoint = `tp-${stage}`) => ({
      type: 'touchpoint.visited',
      customerId: c,
      occurredAt: `2026-11-0${d}T10:00:00+07:00`,
      data: { touchpoint, channel: 'web', stage },
    });
    const events: object[] = [];
    for (let i = 0; i < 10; i++) {
      events.push({
        type: 'customer.profiled',
        customerId: `f-${i}`,
        occurredAt: '2026-11-01T09:00:00+07:00',
        data: { segment: i < 5 ? 'SME' : 'Cá nhân', acquisitionChannel: 'social', region: 'Hà Nội' },
      });
      events.push(visit(`f-${i}`, 'awareness', 1, i === 0 ? 'zalo-oa' : 'facebook-ad'));
      if (i < 6) events.push(visit(`f-${i}`, 'evaluation', 2));
      if (i < 3) events.push(visit(`f-${i}`, 'choice', 4));
    }
    await postAll(running(), events);
    await settled(running());
    const funnel = (await http(running(), 'GET', '/api/v1/funnel?from=2026-11-01&to=2026-11-08')).body;
    expect(funnel.groups).toHaveLength(1);
    expect(funnel.groups[0].stages.slice(0, 4).map((s: any) => [s.stage, s.customers, s.conversion])).toEqual([
      ['awareness', 10, null],
      ['evaluation', 6, 60],
      ['choice', 3, 50],
      ['purchase', 0, 0],
    ]);
    // every gap is 24 h; the median comes from 1%-wide duration bins (the day buckets keep no single gap)
    expect(Math.abs(funnel.groups[0].stages[1].medianHoursFromPrevious - 24) / 24).toBeLessThanOrEqual(0.01);
    const split = (await http(running(), 'GET', '/api/v1/funnel?from=2026-11-01&to=2026-11-08&split=segment')).body;
    expect(split.groups.map((g: any) => [g.group, g.cohort])).toEqual([
      ['Cá nhân', 5],
      ['SME', 5],
    ]);

    const evaluating = (await http(running(), 'GET', '/api/v1/customers?stage=evaluation&segment=SME')).body;
    expect(evaluating.items.map((c: any) => c.customerId).sort()).toEqual(['f-3', 'f-4']);
    const viaZalo = (await http(running(), 'GET', '/api/v1/customers?touchpoint=zalo-oa')).body;
    expect(viaZalo.items.map((c: any) => c.customerId)).toEqual(['f-0']);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = (await http(running(), 'GET', `/api/v1/customers?region=H%C3%A0%20N%E1%BB%99i&sort=customerId&limit=3${cursor ? `&cursor=${cursor}` : ''}`))
        .body;
      seen.push(...page.items.map((c: any) => c.customerId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => `f-${i}`));
    expect((await http(running(), 'GET', '/api/v1/customers?stage=loyal')).status).toBe(400);
  });

  it('the journey reads the journey map, and a just-posted event is read back at once', async () => {
    const posted = await http(running(), 'POST', '/api/v1/events', {
      type: 'touchpoint.visited',
      customerId: 'f-1',
      occurredAt: '2026-11-06T10:00:00+07:00',
      data: { touchpoint: 'web:cart', channel: 'web', stage: 'choice' },
    });
    expect(posted.status).toBe(200);
    const journey = (await http(running(), 'GET', '/api/v1/customers/f-1/journey')).body;
    expect(journey.currentStage).toBe('choice');
    expect(journey.stages.map((s: any) => s.stage)).toEqual(['awareness', 'evaluation', 'choice']);
  });

  it('churn risks list flagged customers with reasons and evidence', async () => {
    const events = [
      { eventId: 'cr-1', type: 'purchase.made', customerId: 'risky', occurredAt: '2026-11-01T10:00:00+07:00', data: { orderId: 'o-r', amount: 1 } },
      {
        eventId: 'cr-2',
        type: 'ticket.opened',
        customerId: 'risky',
        occurredAt: '2026-11-02T10:00:00+07:00',
        data: { ticketId: 'T-r', touchpoint: 'hotline', channel: 'phone' },
      },
    ];
    await postAll(running(), events);
    const deadline = Date.now() + 10_000;
    let body: any;
    do {
      await new Promise((resolve) => setTimeout(resolve, 50));
      body = (await http(running(), 'GET', '/api/v1/churn-risks?lang=vi&rule=ticket-open-too-long')).body;
    } while (!body.items.some((i: any) => i.customerId === 'risky') && Date.now() < deadline);
    const risky = body.items.find((i: any) => i.customerId === 'risky');
    expect(risky.flags).toEqual([expect.objectContaining({ rule: 'ticket-open-too-long', evidence: ['cr-2'], flaggedAt: '2026-11-04T03:00:00.000Z' })]);
    expect(risky.flags[0].label).toMatch(/48 giờ/);
    // the 1,000 customers who bought in September and went quiet are flagged too
    expect(body.rules.find((r: any) => r.id === 'inactive-after-purchase').customers).toBeGreaterThanOrEqual(850);
    await settled(running());
    const flagged = (await http(running(), 'GET', '/api/v1/customers?churnRisk=true&sort=-customerId&limit=5')).body;
    expect(flagged.items.map((c: any) => c.customerId)).toContain('risky');
  }, 20_000);
});
