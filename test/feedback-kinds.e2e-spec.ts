import { http, postAll, settled, startServer, type RunningServer } from './support/running-server';

/**
 * Reviews (1-5 stars with a source) and comments (no score) over real HTTP: the review-rating
 * metric worked by hand on a small set, never mixed into CSAT; comments listed at their
 * touchpoint and in the journey, counted in no score.
 */
const BASE = Date.now() - 5 * 86_400_000;
const at = (hour: number) => new Date(BASE + hour * 3_600_000).toISOString();
const review = (eventId: string, customerId: string, score: number, source: string, comment?: string) => ({
  eventId,
  type: 'feedback.given',
  customerId,
  occurredAt: at(Number(eventId.slice(2))),
  data: { kind: 'review', score, source, touchpoint: 'store:q1', channel: 'store', ...(comment ? { comment } : {}) },
});

describe('reviews and unscored comments (e2e)', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startServer();
    await postAll(server, [
      review('r-1', 'c-1', 5, 'google', 'Nhân viên thân thiện'),
      review('r-2', 'c-2', 4, 'google'),
      review('r-3', 'c-3', 2, 'facebook', 'Chờ lâu quá'),
      review('r-4', 'c-4', 1, 'shopee'),
      review('r-5', 'c-5', 5, 'google'),
      {
        eventId: 'm-1',
        type: 'feedback.given',
        customerId: 'c-3',
        occurredAt: at(8),
        data: { kind: 'comment', comment: 'Zalo: giao hàng trễ 3 ngày', source: 'zalo', touchpoint: 'delivery' },
      },
      { eventId: 's-1', type: 'feedback.given', customerId: 'c-1', occurredAt: at(9), data: { kind: 'csat', score: 5, scale: '1-5', touchpoint: 'store:q1' } },
    ]);
    await settled(server);
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('the review rating of five reviews, worked by hand: mean 3.4 stars, 60% with 4-5 stars, both with 95% intervals', async () => {
    const { body } = await http(server, 'GET', '/api/v1/metrics?metric=review&by=touchpoint&window=30d&minSample=1');
    const row = body.rows.find((r: { key: string }) => r.key === 'store:q1');
    // sum 17, sum of squares 71: variance (71 − 5 × 3.4²) / 4 = 3.3, half-width 1.96 × √(3.3 / 5) = 1.59
    expect(row).toMatchObject({ value: 3.4, n: 5, fourOrFiveStars: 3, fourOrFivePercent: 60 });
    expect(row.low).toBeCloseTo(1.81, 2);
    expect(row.high).toBeCloseTo(4.99, 2);
    // Wilson 3 of 5: centre 0.5566, half-width 0.3258
    expect(row.fourOrFiveLow).toBeCloseTo(23.07, 1);
    expect(row.fourOrFiveHigh).toBeCloseTo(88.24, 1);
    const distribution = (await http(server, 'GET', '/api/v1/metrics/distribution?metric=review&by=touchpoint&key=store:q1&window=30d')).body;
    expect(JSON.stringify(distribution)).toContain('"count":2');
  });

  it('reviews never mix into CSAT: the touchpoint has one CSAT answer', async () => {
    const { body } = await http(server, 'GET', '/api/v1/metrics?metric=csat&by=touchpoint&window=30d&minSample=1');
    expect(body.rows.filter((r: { key: string }) => r.key === 'store:q1').map((r: { n: number }) => r.n)).toEqual([1]);
  });

  it('a comment is listed at its touchpoint and in the journey, with no score, and counts in no metric', async () => {
    const comments = (await http(server, 'GET', '/api/v1/touchpoints/delivery/comments?window=30d')).body;
    expect(comments.items).toEqual([
      expect.objectContaining({ eventId: 'm-1', kind: 'comment', score: null, scale: null, comment: 'Zalo: giao hàng trễ 3 ngày' }),
    ]);
    const journey = (await http(server, 'GET', '/api/v1/customers/c-3/journey')).body;
    expect(journey.feedback).toEqual(
      expect.arrayContaining([expect.objectContaining({ eventId: 'm-1', kind: 'comment', source: 'zalo', comment: 'Zalo: giao hàng trễ 3 ngày' })]),
    );
    expect(journey.feedback.find((f: { eventId: string }) => f.eventId === 'm-1').score).toBeUndefined();
    for (const metric of ['nps', 'csat', 'ces', 'review']) {
      const { body } = await http(server, 'GET', `/api/v1/metrics?metric=${metric}&by=touchpoint&window=30d&minSample=1`);
      expect(body.rows.map((r: { key: string }) => r.key)).not.toContain('delivery');
    }
  });

  it('refuses a comment with a score, a comment without text and a review of 6 stars, naming the field', async () => {
    const refused = async (data: Record<string, unknown>) => {
      const answer = await http(server, 'POST', '/api/v1/events', { type: 'feedback.given', customerId: 'c-9', data });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      return JSON.stringify(answer.body);
    };
    expect(await refused({ kind: 'comment', score: 3, comment: 'x' })).toContain('a comment has no score');
    expect(await refused({ kind: 'comment' })).toContain('data.comment');
    expect(await refused({ kind: 'comment', comment: '   ' })).toContain('data.comment');
    expect(await refused({ kind: 'review', score: 6 })).toContain('1 to 5');
    expect(await refused({ kind: 'review', score: 4, scale: '1-7' })).toContain('review is answered on 1-5');
  });
});
