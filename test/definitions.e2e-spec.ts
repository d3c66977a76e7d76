import { bearer, http, postAll, settled, startServer, tempDataDir, waitFor, type RunningServer } from './support/running-server';

/**
 * Versioned definitions over real HTTP: the same answers under two CSAT thresholds give the two
 * hand-worked results (and other NPS classes theirs), every metric answer states the version it
 * used, `definitionsVersion=` recomputes an earlier one, a restart in another time zone refuses
 * the versions counted in the old one; a change of the churn-risk rules raises and clears the
 * right flags, each naming its rules version, with the change in the log, and `rulesVersion=`
 * answers what an earlier version would flag now, writing nothing.
 */
const at = (day: number, hour = 10) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
let n = 0;
const event = (customerId: string, type: string, occurredAt: string, data: object) => ({ eventId: `def-${++n}`, type, customerId, occurredAt, data });
const feedback = (customerId: string, day: number, kind: string, score: number, scale: string) =>
  event(customerId, 'feedback.given', at(day), { kind, score, scale, touchpoint: 'hotline', channel: 'phone', stage: 'use' });

/**
 * CSAT 1-5 at the hotline: 5 5 4 4 4 3 3 2 1 5. Top-2-box (4-5): 6 of 10 = 60%; top box (5): 3 of 10 = 30%.
 * By day (3 + i mod 5): 3-4 Nov 5 3 5 3, 5-7 Nov 4 2 4 1 4 5. Explained over 5-7 Nov against 2-4 Nov:
 * top-2-box 2 of 4 = 50% -> 4 of 6 = 66.67% (+16.67); top box 2 of 4 = 50% -> 1 of 6 = 16.67% (-33.33).
 */
const CSAT = [5, 5, 4, 4, 4, 3, 3, 2, 1, 5].map((score, i) => feedback(`kh-${i}`, 3 + (i % 5), 'csat', score, '1-5'));
/** NPS: 10×4, 9×3, 8×5, 7×2, 6×3, 5×2, 3×1. 9-10 / 0-6: 7 − 6 of 20 = +5; 10 / 0-5: 4 − 3 = +5 with 13 passives; 9-10 / 0-7: 7 − 8 = −5. */
const NPS = [10, 10, 10, 10, 9, 9, 9, 8, 8, 8, 8, 8, 7, 7, 6, 6, 6, 5, 5, 3].map((score, i) => feedback(`kh-${i}`, 3 + (i % 7), 'nps', score, '0-10'));
const WINDOW = 'window=2026-11-01..2026-12-01';
const EXPLAINED = '/api/v1/metrics/explain?metric=csat&touchpoint=hotline&from=2026-11-05&to=2026-11-08';
const CUT_KEY = encodeURIComponent('hotline|use');

const get = async (server: RunningServer, path: string) => {
  const response = await http(server, 'GET', path);
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.text}`);
  return response.body;
};
const hotline = (rows: { key: string }[]) => rows.find((r) => r.key === 'hotline') as Record<string, unknown>;

describe('versioned metric definitions (e2e)', () => {
  const dataDir = tempDataDir('journeyline-definitions-');
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({}, dataDir);
    await postAll(server, [...CSAT, ...NPS]);
    await settled(server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("version 1 is today's behaviour, recorded at the first start; every metric answer states it", async () => {
    const definitions = await get(server, '/api/v1/definitions/metrics');
    expect(definitions).toMatchObject({
      version: 1,
      parameters: {
        nps: { promoterMin: 9, detractorMax: 6 },
        csat: { satisfiedMin: { '1-5': 4, '1-7': 6, '1-10': 9 } },
        ces: { easyMin: { '1-5': 4, '1-7': 6 }, hardMax: { '1-5': 2, '1-7': 2 } },
        minSample: 30,
        timeZone: 'Asia/Ho_Chi_Minh',
      },
      items: [expect.objectContaining({ version: 1, source: 'configuration', changedBy: 'configuration' })],
    });
    const csat = await get(server, `/api/v1/metrics?metric=csat&by=touchpoint&${WINDOW}`);
    expect(csat.definitions).toEqual({ version: 1 });
    expect(hotline(csat.rows)).toMatchObject({ scale: '1-5', value: 60, n: 10, satisfied: 6, meaningful: false });
    for (const path of [
      `/api/v1/metrics/series?metric=csat&by=touchpoint&key=hotline&${WINDOW}`,
      `/api/v1/metrics/distribution?metric=csat&by=touchpoint&key=hotline&${WINDOW}`,
      `/api/v1/touchpoints/worst?metric=csat&${WINDOW}`,
      `/api/v1/touchpoints/attention?${WINDOW}`,
      `/api/v1/touchpoints/by-stage?metric=csat&${WINDOW}`,
      `/api/v1/metrics?metric=csat&by=touchpoint,stage&${WINDOW}`,
      `/api/v1/metrics/series?metric=csat&by=touchpoint,stage&key=${CUT_KEY}&${WINDOW}`,
      EXPLAINED,
    ]) {
      expect([path, (await get(server, path)).definitions]).toEqual([path, { version: 1 }]);
    }
  });

  it('top box instead of top-2-box: the default answers say 30% under version 2, definitionsVersion=1 still 60%', async () => {
    const put = await http(server, 'PUT', '/api/v1/definitions/metrics', { csat: { satisfiedMin: { '1-5': 5 } } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, changed: true, source: 'api', parameters: { csat: { satisfiedMin: { '1-5': 5, '1-7': 6, '1-10': 9 } } } });
    const now = await get(server, `/api/v1/metrics?metric=csat&by=touchpoint&${WINDOW}`);
    expect(now.definitions).toEqual({ version: 2 });
    expect(hotline(now.rows)).toMatchObject({ value: 30, n: 10, satisfied: 3, mean: 3.6 });
    const before = await get(server, `/api/v1/metrics?metric=csat&by=touchpoint&${WINDOW}&definitionsVersion=1`);
    expect(before.definitions).toEqual({ version: 1 });
    expect(hotline(before.rows)).toMatchObject({ value: 60, satisfied: 6, mean: 3.6 });
    // every variant computes under the version it states
    const cut = await get(server, `/api/v1/metrics?metric=csat&by=touchpoint,stage&${WINDOW}`);
    expect(cut.rows).toEqual([expect.objectContaining({ key: 'hotline|use', value: 30, n: 10 })]);
    const series = await get(server, `/api/v1/metrics/series?metric=csat&by=touchpoint&key=hotline&step=30&${WINDOW}&definitionsVersion=1`);
    expect(series.points).toEqual([expect.objectContaining({ value: 60, n: 10 })]);
    expect((await get(server, `/api/v1/metrics/series?metric=csat&by=touchpoint&key=hotline&step=30&${WINDOW}`)).points).toEqual([
      expect.objectContaining({ value: 30, n: 10 }),
    ]);
    const cutSeries = (version: string) => get(server, `/api/v1/metrics/series?metric=csat&by=touchpoint,stage&key=${CUT_KEY}&step=30&${WINDOW}${version}`);
    expect(await cutSeries('')).toMatchObject({ definitions: { version: 2 }, points: [expect.objectContaining({ value: 30, n: 10 })] });
    expect(await cutSeries('&definitionsVersion=1')).toMatchObject({ definitions: { version: 1 }, points: [expect.objectContaining({ value: 60, n: 10 })] });
    // the change, and where it came from, under each threshold (one channel: all of it is rate)
    expect(await get(server, EXPLAINED)).toMatchObject({
      definitions: { version: 2 },
      previous: { value: 50, n: 4 },
      current: { value: 16.67, n: 6 },
      change: -33.33,
      mix: 0,
      rate: -33.33,
      direction: 'worsening',
      groups: [expect.objectContaining({ key: 'phone', contribution: -33.33 })],
    });
    expect(await get(server, `${EXPLAINED}&definitionsVersion=1`)).toMatchObject({
      definitions: { version: 1 },
      previous: { value: 50, n: 4 },
      current: { value: 66.67, n: 6 },
      change: 16.67,
      rate: 16.67,
      direction: 'improving',
      groups: [expect.objectContaining({ key: 'phone', contribution: 16.67 })],
    });
    // the count of each score is the same under any version: only the version stated differs
    const distribution = (version: string) => get(server, `/api/v1/metrics/distribution?metric=csat&by=touchpoint&key=hotline&${WINDOW}${version}`);
    const [underTwo, underOne] = [await distribution(''), await distribution('&definitionsVersion=1')];
    expect([underTwo.definitions, underOne.definitions]).toEqual([{ version: 2 }, { version: 1 }]);
    expect(underOne.counts).toEqual(underTwo.counts);
    expect(hotline((await get(server, `/api/v1/touchpoints/worst?metric=csat&${WINDOW}`)).rows)).toMatchObject({ value: 30 });
    const all = await get(server, `/api/v1/metrics?metric=csat&${WINDOW}&compare=previous`);
    expect(all.rows).toEqual([expect.objectContaining({ key: '*', value: 30, trend: expect.objectContaining({ previousN: 0 }) })]);
    // as of a moment (the late-events view) under a version: the score counts recorded by then
    const asOf = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    const then = await get(server, `/api/v1/metrics?metric=csat&by=touchpoint&${WINDOW}&asOf=${asOf}&definitionsVersion=1`);
    expect([then.definitions, hotline(then.rows).value]).toEqual([{ version: 1 }, 60]);
    expect(hotline((await get(server, `/api/v1/metrics?metric=csat&by=touchpoint&${WINDOW}&asOf=${asOf}`)).rows).value).toBe(30);
    // the same parameters again are not a change
    expect((await http(server, 'PUT', '/api/v1/definitions/metrics', { csat: { satisfiedMin: { '1-5': 5 } } })).body).toMatchObject({
      version: 2,
      changed: false,
    });
  });

  it('NPS classes, and the minimum sample, from a version', async () => {
    const strict = await http(server, 'PUT', '/api/v1/definitions/metrics', { nps: { promoterMin: 10, detractorMax: 5 }, minSample: 10 });
    expect(strict.body).toMatchObject({ version: 3, parameters: { minSample: 10 } });
    expect(hotline((await get(server, `/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}`)).rows)).toMatchObject({
      value: 5,
      n: 20,
      promoters: 4,
      passives: 13,
      detractors: 3,
      meaningful: true,
    });
    const wide = await http(server, 'PUT', '/api/v1/definitions/metrics', { nps: { promoterMin: 9, detractorMax: 7 } });
    expect(wide.body.version).toBe(4);
    expect(hotline((await get(server, `/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}`)).rows)).toMatchObject({ value: -5, promoters: 7, detractors: 8 });
    expect(hotline((await get(server, `/api/v1/metrics?metric=nps&by=touchpoint&${WINDOW}&definitionsVersion=1`)).rows)).toMatchObject({
      value: 5,
      promoters: 7,
      detractors: 6,
      meaningful: false,
    });
    // a minSample on the request still wins
    expect((await get(server, `/api/v1/metrics?metric=nps&${WINDOW}&minSample=50`)).rows[0]).toMatchObject({ meaningful: false });
  });

  it('a bad change names each field and records nothing; another time zone is a 409; an unknown version a 400', async () => {
    const bad = await http(server, 'PUT', '/api/v1/definitions/metrics', { nps: { promoterMin: 11 }, csat: { satisfiedMin: { '1-7': 'six' } }, colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['colour', 'nps.promoterMin', 'csat.satisfiedMin.1-7']);
    const zone = await http(server, 'PUT', '/api/v1/definitions/metrics', { timeZone: 'UTC' });
    expect(zone.status).toBe(409);
    expect(zone.body.errors[0]).toMatchObject({ field: 'timeZone', reason: expect.stringContaining('JOURNEYLINE_TZ') });
    expect((await http(server, 'PUT', '/api/v1/definitions/metrics', { minSample: 5 }, bearer('not-a-key'))).status).toBe(401);
    const unknown = await http(server, 'GET', `/api/v1/metrics?metric=nps&${WINDOW}&definitionsVersion=99`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('definitionsVersion');
    expect((await http(server, 'GET', `/api/v1/metrics?metric=nps&${WINDOW}&definitionsVersion=0`)).status).toBe(400);
    for (const path of [
      `/api/v1/metrics/series?metric=csat&by=touchpoint&key=hotline&${WINDOW}`,
      `/api/v1/metrics/series?metric=csat&by=touchpoint,stage&key=${CUT_KEY}&${WINDOW}`,
      `/api/v1/metrics/distribution?metric=csat&by=touchpoint&key=hotline&${WINDOW}`,
      EXPLAINED,
    ]) {
      for (const version of ['99', 'two']) {
        const refused = await http(server, 'GET', `${path}&definitionsVersion=${version}`);
        expect([path, version, refused.status, refused.body.errors?.[0]?.field]).toEqual([path, version, 400, 'definitionsVersion']);
      }
    }
    expect((await get(server, '/api/v1/definitions/metrics')).items.map((v: { version: number }) => v.version)).toEqual([1, 2, 3, 4]);
    const audit = await get(server, '/api/v1/audit');
    expect(audit.items.filter((e: { action: string }) => e.action === 'definitions.changed').map((e: { subject: string }) => e.subject)).toEqual([
      'metrics',
      'metrics',
      'metrics',
    ]);
  });

  it('restarted in another time zone: a new version in it, the admin changes kept; versions counted in the old zone answer 409', async () => {
    await server.stop();
    server = await startServer({ JOURNEYLINE_TZ: 'UTC' }, dataDir);
    const definitions = await get(server, '/api/v1/definitions/metrics');
    expect(definitions).toMatchObject({ version: 5, parameters: { timeZone: 'UTC', minSample: 10, nps: { detractorMax: 7 } } });
    expect(definitions.items[4]).toMatchObject({ source: 'configuration' });
    expect(hotline((await get(server, `/api/v1/metrics?metric=csat&by=touchpoint&${WINDOW}`)).rows)).toMatchObject({ value: 30 });
    const old = await http(server, 'GET', `/api/v1/metrics?metric=csat&by=touchpoint&${WINDOW}&definitionsVersion=1`);
    expect(old.status).toBe(409);
    expect(old.body.errors[0]).toMatchObject({ field: 'definitionsVersion', reason: expect.stringContaining('Asia/Ho_Chi_Minh') });
    const oldExplained = await http(server, 'GET', `${EXPLAINED}&definitionsVersion=1`);
    expect([oldExplained.status, oldExplained.body.errors?.[0]?.field]).toEqual([409, 'definitionsVersion']);
  });
});

describe('versioned churn-risk rules (e2e)', () => {
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  const ticket = (customerId: string, openedHoursAgo: number) =>
    event(customerId, 'ticket.opened', hoursAgo(openedHoursAgo), { ticketId: `t-${customerId}`, touchpoint: 'hotline', channel: 'phone' });
  const withHours = (hours: number) => ({
    rules: [
      { id: 'detractor-without-use', kind: 'detractor-without-use' },
      { id: 'ticket-open-too-long', kind: 'ticket-open-too-long', hours },
    ],
  });
  let server: RunningServer;
  const flagsOf = async (query = '') => {
    const list = await get(server, `/api/v1/churn-risks${query}`);
    return {
      rulesVersion: list.rulesVersion,
      evaluated: list.evaluated,
      flags: (list.items as { customerId: string; flags: { rule: string; rulesVersion: number }[] }[])
        .flatMap((item) => item.flags.map((f) => [item.customerId, f.rule, f.rulesVersion]))
        .sort(),
    };
  };
  const churnEvents = async (customerId: string) =>
    ((await get(server, `/api/v1/customers/${customerId}/events`)) as { items: { type: string; data: Record<string, unknown> }[] }).items
      .filter((e) => e.type.startsWith('churn-risk'))
      .map((e) => [e.type, e.data.rule, e.data.rulesVersion, e.data.reason]);

  beforeAll(async () => {
    server = await startServer({ JOURNEYLINE_CHURN_CHECK_INTERVAL_MS: '200' });
    // kh-a's ticket has been open 30 hours, kh-b's 60
    await postAll(server, [ticket('kh-a', 30), ticket('kh-b', 60)]);
    await settled(server);
    await waitFor(async () => (await flagsOf()).flags.length === 1);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('version 1 is the configured rules; a flag names the version that raised it', async () => {
    expect(await get(server, '/api/v1/definitions/churn-rules')).toMatchObject({ version: 1, items: [expect.objectContaining({ source: 'configuration' })] });
    expect(await flagsOf()).toEqual({ rulesVersion: 1, evaluated: undefined, flags: [['kh-b', 'ticket-open-too-long', 1]] });
  });

  it('a ticket rule of 24 hours raises kh-a under version 2 and keeps kh-b; back to 48 clears kh-a, saying the rule changed', async () => {
    const put = await http(server, 'PUT', '/api/v1/definitions/churn-rules', withHours(24));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 2, changed: true, source: 'api', rules: [expect.anything(), expect.objectContaining({ hours: 24 })] });
    await waitFor(async () => (await flagsOf()).flags.length === 2);
    expect(await flagsOf()).toEqual({
      rulesVersion: 2,
      evaluated: undefined,
      flags: [
        ['kh-a', 'ticket-open-too-long', 2],
        ['kh-b', 'ticket-open-too-long', 1],
      ],
    });
    expect(await churnEvents('kh-b')).toEqual([['churn-risk.flagged', 'ticket-open-too-long', 1, 'Support ticket unresolved for more than 48 hours']]);

    // what version 1 would flag on the same data now: evaluated, nothing written
    const before = await http(server, 'GET', '/health');
    const whatIf = await flagsOf('?rulesVersion=1');
    expect(whatIf).toMatchObject({ rulesVersion: 1, evaluated: { customersEvaluated: 2 }, flags: [['kh-b', 'ticket-open-too-long', 1]] });
    expect((await flagsOf('?rulesVersion=2')).flags).toEqual([
      ['kh-a', 'ticket-open-too-long', 2],
      ['kh-b', 'ticket-open-too-long', 2],
    ]);
    expect((await http(server, 'GET', '/health')).body.position).toBe(before.body.position);

    expect((await http(server, 'PUT', '/api/v1/definitions/churn-rules', withHours(48))).body).toMatchObject({ version: 3 });
    await waitFor(async () => (await flagsOf()).flags.length === 1);
    expect(await flagsOf()).toEqual({ rulesVersion: 3, evaluated: undefined, flags: [['kh-b', 'ticket-open-too-long', 1]] });
    expect(await churnEvents('kh-a')).toEqual([
      ['churn-risk.flagged', 'ticket-open-too-long', 2, 'Support ticket unresolved for more than 24 hours'],
      ['churn-risk.cleared', 'ticket-open-too-long', 3, 'rule changed in version 3'],
    ]);
    // the journey states the versions too
    const journey = await get(server, '/api/v1/customers/kh-a/journey');
    expect(journey.churnRisks).toEqual([
      expect.objectContaining({ rule: 'ticket-open-too-long', rulesVersion: 2, clearedRulesVersion: 3, clearedAt: expect.any(String) }),
    ]);
    const history = await get(server, '/api/v1/definitions/churn-rules');
    expect(history.items.map((v: { version: number; source: string }) => [v.version, v.source])).toEqual([
      [1, 'configuration'],
      [2, 'api'],
      [3, 'api'],
    ]);
  }, 30_000);

  it('bad rules are named field by field; an unknown rulesVersion is a 400', async () => {
    const bad = await http(server, 'PUT', '/api/v1/definitions/churn-rules', { rules: [{ id: 'slow', kind: 'ticket-open-too-long', hours: 0 }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'rules[0].hours' })]);
    const unknown = await http(server, 'GET', '/api/v1/churn-risks?rulesVersion=9');
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].field).toBe('rulesVersion');
  });
});
