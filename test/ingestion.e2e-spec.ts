import * as fs from 'node:fs';
import { http, type RunningServer, serverForSuite, startServer, PROJECTOR_THREAD } from './support/running-server';

const visit = (eventId: string, stage: string, occurredAt: string, touchpoint: string, channel = 'web') => ({
  eventId,
  type: 'touchpoint.visited',
  customerId: 'c-1042',
  occurredAt,
  data: { touchpoint, channel, stage },
});

const walk = [
  visit('w-1', 'awareness', '2026-11-01T09:00:00+07:00', 'facebook-ad', 'social'),
  visit('w-2', 'evaluation', '2026-11-03T10:00:00+07:00', 'web:pricing'),
  visit('w-3', 'choice', '2026-11-04T11:00:00+07:00', 'web:cart'),
  { eventId: 'w-4', type: 'purchase.made', customerId: 'c-1042', occurredAt: '2026-11-05T12:00:00+07:00', data: { orderId: 'o-1', amount: 1990000 } },
  visit('w-5', 'use', '2026-11-08T08:00:00+07:00', 'app:onboarding', 'mobile'),
  {
    eventId: 'w-6',
    type: 'ticket.opened',
    customerId: 'c-1042',
    occurredAt: '2026-11-09T09:00:00+07:00',
    data: { ticketId: 'T-1', touchpoint: 'hotline', channel: 'phone', subject: 'Không đăng nhập được' },
  },
  { eventId: 'w-7', type: 'ticket.resolved', customerId: 'c-1042', occurredAt: '2026-11-09T13:00:00+07:00', data: { ticketId: 'T-1' } },
  {
    eventId: 'w-8',
    type: 'feedback.given',
    customerId: 'c-1042',
    occurredAt: '2026-11-10T09:15:00+07:00',
    data: { kind: 'nps', score: 9, scale: '0-10', touchpoint: 'hotline', channel: 'phone', stage: 'use', comment: 'Nhân viên hỗ trợ nhanh' },
  },
  {
    eventId: 'w-9',
    type: 'feedback.given',
    customerId: 'c-1042',
    occurredAt: '2026-11-10T09:16:00+07:00',
    data: { kind: 'csat', score: true, scale: 'yes-no' },
  },
  visit('w-10', 'advocacy', '2026-11-20T09:00:00+07:00', 'referral:link'),
  {
    eventId: 'w-11',
    type: 'customer.profiled',
    customerId: 'c-1042',
    occurredAt: '2026-11-01T09:00:00+07:00',
    data: { segment: 'SME', region: 'Hồ Chí Minh', acquisitionChannel: 'social' },
  },
];

describe('HTTP ingestion on the embedded store (e2e)', () => {
  const running = serverForSuite(PROJECTOR_THREAD);

  const position = async () => (await http(running(), 'GET', '/health')).body.position as number;

  it('reports the store and its position on /health', async () => {
    const health = await http(running(), 'GET', '/health');
    expect(health.status).toBe(200);
    // the log holds the first admin key, its audit entry, and version 1 of the metric definitions and of the churn-risk rules
    expect(health.body).toMatchObject({ status: 'ok', store: 'sqlite', position: 4, timeZone: 'Asia/Ho_Chi_Minh' });
  });

  it('a customer walks all six stages with feedback and a ticket, and the journey reads it back', async () => {
    const single = await http(running(), 'POST', '/api/v1/events', walk[0]);
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({ eventId: 'w-1', customerId: 'c-1042', duplicate: false });
    expect(single.body.position).toBeGreaterThan(0);

    const batch = await http(running(), 'POST', '/api/v1/events/batch', { events: walk.slice(1) });
    expect(batch.status).toBe(200);
    expect(batch.body.stored).toBe(walk.length - 1);
    expect(batch.body.positions).toHaveLength(walk.length - 1);

    const journey = await http(running(), 'GET', '/api/v1/customers/c-1042/journey');
    expect(journey.status).toBe(200);
    expect(journey.body.currentStage).toBe('advocacy');
    expect(journey.body.currentStageLabel).toEqual({ en: 'Advocacy', vi: 'Ủng hộ' });
    expect(journey.body.stages.map((s: any) => s.stage)).toEqual(['awareness', 'evaluation', 'choice', 'purchase', 'use', 'advocacy']);
    expect(journey.body.stages[0]).toMatchObject({
      enteredAt: '2026-11-01T02:00:00.000Z',
      leftAt: '2026-11-03T03:00:00.000Z',
      durationMs: (2 * 24 + 1) * 3_600_000,
    });
    expect(journey.body.stages[0].touchpoints).toEqual([expect.objectContaining({ touchpoint: 'facebook-ad', channel: 'social' })]);
    expect(journey.body.tickets).toEqual([expect.objectContaining({ ticketId: 'T-1', status: 'resolved', resolutionMs: 4 * 3_600_000 })]);
    expect(journey.body.feedback.map((f: any) => [f.kind, f.score, f.stage])).toEqual([
      ['nps', 9, 'use'],
      ['csat', true, 'use'],
    ]);
    expect(journey.body.profile).toEqual({ segment: 'SME', region: 'Hồ Chí Minh', acquisitionChannel: 'social' });
  });

  it('pages the customer events in order with a cursor', async () => {
    const first = await http(running(), 'GET', '/api/v1/customers/c-1042/events?limit=5');
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    expect(first.body.items[0]).toMatchObject({ revision: 0, eventId: 'w-1', type: 'touchpoint.visited' });
    expect(first.body.items[1]).toMatchObject({ eventId: 'stage w-1', type: 'stage.entered' });
    const all = [...first.body.items];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const page = await http(running(), 'GET', `/api/v1/customers/c-1042/events?limit=5&cursor=${cursor}`);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    }
    expect(all.map((e) => e.revision)).toEqual(all.map((_, i) => i));
    expect(all.filter((e) => e.type === 'stage.entered')).toHaveLength(6);
  });

  it('replaying the same batch returns the same positions and stores nothing', async () => {
    const before = await position();
    const replay = await http(running(), 'POST', '/api/v1/events/batch', { events: walk.slice(1) });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ stored: 0, duplicates: walk.length - 1 });
    const original = await http(running(), 'GET', '/api/v1/customers/c-1042/events?limit=100');
    const byId = new Map(original.body.items.map((e: any) => [e.eventId, e.position]));
    expect(replay.body.positions).toEqual(walk.slice(1).map((e) => byId.get(e.eventId)));
    expect(await position()).toBe(before);
  });

  it('an unknown customer is a 404', async () => {
    expect((await http(running(), 'GET', '/api/v1/customers/nobody/journey')).status).toBe(404);
    expect((await http(running(), 'GET', '/api/v1/customers/nobody/events')).status).toBe(404);
  });

  const good = { type: 'touchpoint.visited', customerId: 'c-bad', data: { touchpoint: 'web:home', channel: 'web', stage: 'awareness' } };
  const feedback = (data: object) => ({ type: 'feedback.given', customerId: 'c-bad', data: { kind: 'nps', score: 5, scale: '0-10', ...data } });

  it.each([
    ['no customerId', { ...good, customerId: undefined }, 'customerId'],
    ['an unknown type', { ...good, type: 'touchpoint.seen' }, 'type'],
    ['an unknown top-level field', { ...good, colour: 'red' }, 'colour'],
    ['an unknown data field', { ...good, data: { ...good.data, colour: 'red' } }, 'data.colour'],
    ['an unknown stage', { ...good, data: { ...good.data, stage: 'loyalty' } }, 'data.stage'],
    ['a missing touchpoint', { ...good, data: { channel: 'web', stage: 'use' } }, 'data.touchpoint'],
    ['a bad scale', feedback({ scale: '0-5' }), 'data.scale'],
    ['a score that is text', feedback({ score: 'nine' }), 'data.score'],
    ['a bad kind', feedback({ kind: 'ces2' }), 'data.kind'],
    ['a bad occurredAt', { ...good, occurredAt: 'yesterday' }, 'occurredAt'],
    ['a bad currency', { type: 'purchase.made', customerId: 'c-bad', data: { orderId: 'o', amount: 1, currency: 'dong' } }, 'data.currency'],
    ['an empty profile', { type: 'customer.profiled', customerId: 'c-bad', data: {} }, 'data'],
  ])('%s is a 400 naming the field, and nothing is stored', async (_name, event, field) => {
    const before = await position();
    const response = await http(running(), 'POST', '/api/v1/events', event);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason: expect.any(String) })]));
    expect(await position()).toBe(before);
  });

  it.each([
    ['an out-of-range score', feedback({ score: 11 }), 'feedback-score-outside-scale'],
    ['an NPS on a 1-5 scale', feedback({ scale: '1-5', score: 3 }), 'feedback-scale-not-allowed'],
    ['a ticket resolved that was never opened', { type: 'ticket.resolved', customerId: 'c-bad', data: { ticketId: 'T-404' } }, 'ticket-never-opened'],
    ['a negative purchase', { type: 'purchase.made', customerId: 'c-bad', data: { orderId: 'o-9', amount: -1 } }, 'purchase-amount-negative'],
  ])('%s is a 422 naming the rule, and nothing is stored', async (_name, event, rule) => {
    const before = await position();
    const response = await http(running(), 'POST', '/api/v1/events', event);
    expect(response.status).toBe(422);
    expect(response.body.rule).toBe(rule);
    expect(await position()).toBe(before);
  });

  it('a batch with bad events lists each by index and stores none of the good ones', async () => {
    const before = await position();
    const response = await http(running(), 'POST', '/api/v1/events/batch', {
      events: [good, { ...good, data: { ...good.data, stage: 'x' } }, good, feedback({ scale: 'z' })],
    });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe('2 of 4 events are invalid; nothing was stored');
    expect(response.body.errors.map((e: any) => [e.index, e.field])).toEqual([
      [1, 'data.stage'],
      [3, 'data.scale'],
    ]);
    expect(await position()).toBe(before);
  });

  it('a batch with one rule broken stores nothing and names the event', async () => {
    const before = await position();
    const response = await http(running(), 'POST', '/api/v1/events/batch', {
      events: [good, { ...good, customerId: 'c-other' }, { type: 'ticket.resolved', customerId: 'c-other', data: { ticketId: 'nope' } }],
    });
    expect(response.status).toBe(422);
    expect(response.body.errors).toEqual([expect.objectContaining({ index: 2, rule: 'ticket-never-opened' })]);
    expect(await position()).toBe(before);
  });

  it('a batch of 1,001 events is refused whole', async () => {
    const before = await position();
    const events = Array.from({ length: 1001 }, (_, i) => ({ ...good, customerId: `c-${i}` }));
    const response = await http(running(), 'POST', '/api/v1/events/batch', { events });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'events' })]);
    expect(await position()).toBe(before);
  });

  it('a batch of exactly 1,000 events for many customers is stored', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => ({ ...good, eventId: `k-${i}`, customerId: `bulk-${i % 97}` }));
    const response = await http(running(), 'POST', '/api/v1/events/batch', { events });
    expect(response.status).toBe(200);
    expect(response.body.stored).toBe(1000);
  });

  it('the same eventId with a different body is a 409 and stores nothing', async () => {
    const before = await position();
    const response = await http(running(), 'POST', '/api/v1/events', { ...walk[1], data: { ...walk[1].data, touchpoint: 'web:other' } });
    expect(response.status).toBe(409);
    expect(await position()).toBe(before);
  });

  it('malformed JSON is a 400, the wrong content type a 415, an oversized body a 413', async () => {
    const before = await position();
    expect((await http(running(), 'POST', '/api/v1/events', '{"type": "touchpoint.visited",')).status).toBe(400);
    expect((await http(running(), 'POST', '/api/v1/events', 'type=touchpoint.visited', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(
      415,
    );
    const huge = JSON.stringify({ events: [{ ...good, data: { ...good.data, properties: { blob: 'x'.repeat(9 * 1024 * 1024) } } }] });
    expect((await http(running(), 'POST', '/api/v1/events/batch', huge)).status).toBe(413);
    expect(await position()).toBe(before);
  });

  it('a bad query parameter is a 400, not a 500', async () => {
    const response = await http(running(), 'GET', '/api/v1/customers/c-1042/events?limit=5000');
    expect(response.status).toBe(400);
    expect((await http(running(), 'GET', '/api/v1/customers/c-1042/events?cursor=garbage')).status).toBe(400);
    expect((await http(running(), 'GET', '/api/v1/customers/c-1042/events?sort=x')).status).toBe(400);
  });

  it('the data file is on disk in the data directory', () => {
    expect(fs.existsSync(`${running().dataDir}/journeyline.db`)).toBe(true);
  });
});

describe('restart on the same data file (e2e)', () => {
  it('keeps everything appended before the stop', async () => {
    const first = await startServer(PROJECTOR_THREAD);
    await http(first, 'POST', '/api/v1/events/batch', { events: walk });
    const before = await http(first, 'GET', '/api/v1/customers/c-1042/journey');
    const position = (await http(first, 'GET', '/health')).body.position;
    await first.stop();

    const second = await startServer(PROJECTOR_THREAD, first.dataDir);
    try {
      expect((await http(second, 'GET', '/health')).body.position).toBe(position);
      const after = await http(second, 'GET', '/api/v1/customers/c-1042/journey');
      expect(after.body.stages).toEqual(
        before.body.stages.map((s: any, i: number) => (i === before.body.stages.length - 1 ? { ...s, durationMs: expect.any(Number) } : s)),
      );
      const replay = await http(second, 'POST', '/api/v1/events/batch', { events: walk });
      expect(replay.body.stored).toBe(0);
    } finally {
      await second.stop();
    }
  });
});
