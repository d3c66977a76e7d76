import { http, postAll, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';

/**
 * GET /api/v1/metrics/explain over real HTTP on the SQLite store, on constructed data sets: a drop
 * that comes only from who answered (more answers from the worse channel, no channel's scores
 * changed) is mix; a drop where one channel's scores fell is rate in that channel, with that
 * channel's worst answers; the groups' contributions add up to the change. Days are local days
 * in Asia/Ho_Chi_Minh: the current window's answers at 06:00 +07:00 on its first day are still
 * the previous UTC day, so a window read in UTC would miss them.
 */
let n = 0;
const at = (day: number, hour = 10) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
const event = (customerId: string, type: string, occurredAt: string, data: object) => ({ eventId: `ex-${++n}`, type, customerId, occurredAt, data });

/** `count` NPS answers of `score`, each from its own customer, at a touchpoint on a channel (stage use); the first `commented` with a comment. */
function answers(touchpoint: string, channel: string, day: number, hour: number, score: number, count: number, comment?: string, commented = 0) {
  return Array.from({ length: count }, (_, i) =>
    event(`${touchpoint}-${channel}-${day}-${score}-${i}-${++n}`, 'feedback.given', at(day, hour), {
      kind: 'nps',
      score,
      scale: '0-10',
      touchpoint,
      channel,
      stage: 'use',
      ...(comment && i < commented ? { comment: `${comment} (${i + 1})` } : {}),
    }),
  );
}
/** NPS answers: promoters (10), passives (8), detractors (`detractorScore`). */
const npsAnswers = (touchpoint: string, channel: string, day: number, hour: number, p: number, pa: number, d: number, detractorScore = 3) => [
  ...answers(touchpoint, channel, day, hour, 10, p),
  ...answers(touchpoint, channel, day, hour, 8, pa),
  ...answers(touchpoint, channel, day, hour, detractorScore, d),
];

// support: chat answers at +60, phone at −20, in both weeks; only the shares change (10:5 → 5:10)
const MIX = [
  ...npsAnswers('support', 'chat', 2, 10, 7, 2, 1),
  ...npsAnswers('support', 'phone', 3, 10, 1, 2, 2),
  ...npsAnswers('support', 'chat', 8, 6, 3, 2, 0),
  ...npsAnswers('support', 'phone', 8, 6, 2, 4, 4),
];

// shop: 10 store and 10 web answers each week; store stays at +60, web falls from 0 to −60
const WEB_COMPLAINT = 'Trang thanh toán báo lỗi';
const RATE = [
  ...npsAnswers('shop', 'store', 4, 10, 7, 2, 1),
  ...npsAnswers('shop', 'web', 4, 10, 3, 4, 3),
  // a comment last week: not among this week's answers
  ...answers('shop', 'web', 5, 10, 0, 1, 'Tuần trước cũng lỗi', 1),
  // this week's store detractor came with a comment: not in the web channel, so not among the answers shown
  ...npsAnswers('shop', 'store', 10, 10, 7, 2, 0),
  ...answers('shop', 'store', 11, 10, 1, 1, 'Nhân viên thân thiện', 1),
  // this week: one web promoter, two passives, seven detractors (a 0, two 2s, four 5s), several with a comment
  ...answers('shop', 'web', 10, 10, 10, 1, 'Giao hàng nhanh', 1),
  ...answers('shop', 'web', 10, 10, 8, 2),
  ...answers('shop', 'web', 11, 10, 0, 1, WEB_COMPLAINT, 1),
  ...answers('shop', 'web', 12, 10, 2, 2, WEB_COMPLAINT, 2),
  ...answers('shop', 'web', 13, 10, 5, 4, 'Chậm', 1),
];
// one fewer detractor in the previous week's web answers so that the 0 above stands in for it: web 0 = 3 p, 4 pa, 3 d
RATE.splice(
  RATE.findIndex((e) => e.customerId.startsWith('shop-web-4-3-')),
  1,
);

// the web customers of this week are Enterprise (profiled before answering); everyone else has no known segment
const PROFILES = RATE.filter((e) => e.customerId.startsWith('shop-web-1')).map((e) =>
  event(e.customerId, 'customer.profiled', at(9, 8), { segment: 'Enterprise' }),
);

const WEEK = 'window=2026-11-08..2026-11-15';
const cents = (x: number) => Math.round(x * 100);
type Group = { by: string; key: string; contribution: number; mix: number; rate: number; nCurrent: number; nPrevious: number };

function expectAddsUp(body: { change: number; mix: number; rate: number; groups: Group[] }) {
  expect(cents(body.mix) + cents(body.rate)).toBe(cents(body.change));
  expect(body.groups.reduce((a, g) => a + cents(g.contribution), 0)).toBe(cents(body.change));
  for (const g of body.groups) expect(cents(g.mix) + cents(g.rate)).toBe(cents(g.contribution));
}

describe('why did a metric change? (e2e, GET /api/v1/metrics/explain)', () => {
  let server: RunningServer;
  const get = async (path: string) => {
    const response = await http(server, 'GET', path);
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${response.text}`);
    return response.body;
  };

  beforeAll(async () => {
    server = await startServer({ JOURNEYLINE_TZ: 'Asia/Ho_Chi_Minh' }, tempDataDir('journeyline-explain-'));
    await postAll(server, [...PROFILES, ...MIX, ...RATE]);
    await settled(server);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('more answers from the worse channel, no channel scoring differently → the drop is mix (rate 0)', async () => {
    const body = await get(`/api/v1/metrics/explain?metric=nps&touchpoint=support&${WEEK}`);
    // before: (7 − 1 + 1 − 2) / 15 = +33.33; now (3 + 2 − 4) / 15 = +6.67
    expect(body).toMatchObject({
      metric: 'nps',
      by: 'channel',
      filters: { touchpoint: 'support' },
      window: { fromDay: '2026-11-08', toDay: '2026-11-15', days: 7 },
      previousWindow: { fromDay: '2026-11-01', toDay: '2026-11-08', days: 7 },
      current: { value: 6.67, n: 15 },
      previous: { value: 33.33, n: 15 },
      change: -26.66,
      rate: 0,
      mix: -26.66,
      direction: 'worsening',
    });
    expect(body.current.low).toBeLessThan(body.current.value);
    // the shares swap, so each channel moved it as much: phone gained a third at 40 below the average of the two weeks, chat lost a third at 40 above
    expect(body.groups.map((g: Group) => [g.by, g.key, g.nPrevious, g.nCurrent, g.mix, g.rate]).sort()).toEqual([
      ['channel', 'chat', 10, 5, -13.33, 0],
      ['channel', 'phone', 5, 10, -13.33, 0],
    ]);
    expectAddsUp(body);
    // phone's answers are the ones below where the metric was: its worst answers explain it (none came with a comment)
    expect(body.focus).toEqual({ by: 'channel', key: 'phone', answers: 'worst' });
    expect(body.answers).toEqual([]);
  });

  it('the same week as bare dates (from/to, midnight in JOURNEYLINE_TZ) is the same answer', async () => {
    const body = await get('/api/v1/metrics/explain?metric=nps&touchpoint=support&from=2026-11-08&to=2026-11-15');
    expect(body).toMatchObject({ current: { n: 15 }, previous: { n: 15 }, change: -26.66, mix: -26.66, rate: 0 });
    // read in UTC, the answers at 06:00 +07:00 on the 8th fall on the 7th: another window, another answer
    const utc = await get('/api/v1/metrics/explain?metric=nps&touchpoint=support&from=2026-11-08&to=2026-11-15&tz=UTC');
    expect(utc.window.fromDay).toBe('2026-11-09');
  });

  it('one channel’s scores fell → rate in that channel, with its worst answers and links to the customer and the comments', async () => {
    const body = await get(`/api/v1/metrics/explain?metric=nps&touchpoint=shop&${WEEK}&limit=10`);
    // store +60 both weeks; web 0 → −60 on the same 10 answers: +30 → 0
    expect(body).toMatchObject({ previous: { value: 30, n: 20 }, current: { value: 0, n: 20 }, change: -30, mix: 0, rate: -30 });
    expect(body.groups[0]).toMatchObject({ by: 'channel', key: 'web', contribution: -30, mix: 0, rate: -30, nCurrent: 10, nPrevious: 10 });
    expect(body.groups[1]).toMatchObject({ key: 'store', contribution: 0, mix: 0, rate: 0 });
    expectAddsUp(body);
    expect(body.focus).toEqual({ by: 'channel', key: 'web', answers: 'worst' });
    // this week's web answers with a comment, worst first: 0, 2, 2, 5, 10; last week's 0 and the store's are not among them
    expect(body.answers.map((a: { score: number; channel: string }) => [a.score, a.channel])).toEqual([
      [0, 'web'],
      [2, 'web'],
      [2, 'web'],
      [5, 'web'],
      [10, 'web'],
    ]);
    const first = body.answers[0];
    expect(first).toMatchObject({ touchpoint: 'shop', kind: 'nps', scale: '0-10', stage: 'use', comment: `${WEB_COMPLAINT} (1)` });
    expect(first.occurredAt).toBe(new Date(at(11)).toISOString());
    expect(first.links.journey).toBe(`/api/v1/customers/${encodeURIComponent(first.customerId)}/journey`);
    expect((await get(first.links.journey)).customerId).toBe(first.customerId);
    const comments = await get(first.links.comments);
    expect(comments.items.map((c: { eventId: string }) => c.eventId)).toContain(first.eventId);
    // the answers are bounded: limit (default 5, at most 10)
    expect((await get(`/api/v1/metrics/explain?metric=nps&touchpoint=shop&${WEEK}&limit=2`)).answers).toHaveLength(2);
  });

  it('by stage and by segment: every answer in one group (no segment known: the group ""), the contributions still adding up', async () => {
    const byStage = await get(`/api/v1/metrics/explain?metric=nps&touchpoint=shop&by=stage&${WEEK}`);
    expect(byStage.groups).toEqual([expect.objectContaining({ by: 'stage', key: 'use', contribution: -30, rate: -30, mix: 0 })]);
    const bySegment = await get(`/api/v1/metrics/explain?metric=nps&touchpoint=shop&by=segment&${WEEK}`);
    // this week's web customers are Enterprise: they and their −60 are a group that is new this week (mix); the rest is ''
    expect(bySegment.groups.map((g: Group) => [g.key, g.nPrevious, g.nCurrent])).toEqual(
      expect.arrayContaining([
        ['Enterprise', 0, 10],
        ['', 20, 10],
      ]),
    );
    expect(bySegment.groups.find((g: Group) => g.key === 'Enterprise')).toMatchObject({ rate: 0 });
    expect(bySegment).toMatchObject({ change: -30 });
    expectAddsUp(bySegment);
    expect(bySegment.focus).toMatchObject({ by: 'segment', key: 'Enterprise', answers: 'worst' });
    expect(bySegment.answers[0]).toMatchObject({ score: 0, channel: 'web' });
  });

  it('a channel filter over every touchpoint, and a window without answers before it: no change to explain', async () => {
    const web = await get(`/api/v1/metrics/explain?metric=nps&channel=web&by=stage&${WEEK}`);
    expect(web).toMatchObject({ filters: { channel: 'web' }, change: -60, rate: -60 });
    const empty = await get('/api/v1/metrics/explain?metric=nps&window=2026-11-01..2026-11-08');
    expect(empty).toMatchObject({ change: null, mix: null, rate: null, previous: { n: 0, value: null }, focus: null, answers: [] });
    // last week's answers at support (15) and shop (20)
    expect(empty.current.n).toBe(35);
  });

  it('refuses bad parameters with 400, naming the field and why', async () => {
    const cases: [string, string][] = [
      ['/api/v1/metrics/explain', 'metric'],
      ['/api/v1/metrics/explain?metric=churn', 'metric'],
      ['/api/v1/metrics/explain?metric=nps&by=touchpoint', 'by'],
      ['/api/v1/metrics/explain?metric=nps&window=0d', 'window'],
      ['/api/v1/metrics/explain?metric=nps&window=7d&from=2026-11-01', 'window'],
      ['/api/v1/metrics/explain?metric=nps&from=2026-11-31', 'from'],
      ['/api/v1/metrics/explain?metric=nps&scale=1-5', 'scale'],
      ['/api/v1/metrics/explain?metric=ces&scale=1-10', 'scale'],
      ['/api/v1/metrics/explain?metric=nps&stage=nowhere', 'stage'],
      ['/api/v1/metrics/explain?metric=nps&limit=11', 'limit'],
      ['/api/v1/metrics/explain?metric=nps&segment=SME', 'segment'],
      ['/api/v1/metrics/explain?metric=nps&tz=Mars/Olympus', 'tz'],
    ];
    for (const [path, field] of cases) {
      const response = await http(server, 'GET', path);
      expect([path, response.status]).toEqual([path, 400]);
      expect(response.body.errors[0]).toMatchObject({ field });
      expect(response.body.errors[0].reason.length).toBeGreaterThan(0);
    }
  });
});
