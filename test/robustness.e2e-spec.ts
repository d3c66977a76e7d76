/**
 * What once broke the server for good, tried again against the real app: prototype-named keys,
 * ids Journeyline derives for itself, events written below validation, bad time zones, and a
 * health check that must say when something is wrong.
 */
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { runCli } from './support/cli';
import { http, serverForSuite, settled, startServer, tempDataDir, waitFor } from './support/running-server';

const visit = (eventId: string, customerId: string, stage: string, occurredAt: string, touchpoint = 'web:home') => ({
  eventId,
  type: 'touchpoint.visited',
  customerId,
  occurredAt,
  data: { touchpoint, channel: 'web', stage },
});

describe('robustness against bad input (e2e)', () => {
  const running = serverForSuite();
  const position = async () => (await http(running(), 'GET', '/health')).body.position as number;

  it('the constructor key that once skipped validation is a 400 naming data.constructor; nothing stored; the server keeps serving and restarts', async () => {
    const before = await position();
    const poison = '{"events":[{"type":"touchpoint.visited","customerId":"poison","data":{"constructor":"x"}}]}';
    const response = await http(running(), 'POST', '/api/v1/events/batch', poison);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ index: 0, field: 'data.constructor', reason: expect.stringContaining('unknown field') })]);
    expect(await position()).toBe(before);
    for (const type of ['toString', 'valueOf', 'hasOwnProperty', '__proto__', 'constructor']) {
      const answer = await http(running(), 'POST', '/api/v1/events', { type, customerId: 'c-x', data: {} });
      expect({ type, status: answer.status, field: answer.body.errors?.[0]?.field }).toEqual({ type, status: 400, field: 'type' });
    }
    const withProto = '{"type":"touchpoint.visited","customerId":"c","data":{"touchpoint":"t","channel":"web","stage":"use","__proto__":{"x":1}}}';
    const proto = await http(running(), 'POST', '/api/v1/events', withProto);
    expect(proto.status).toBe(400);
    expect(await position()).toBe(before);
  });

  it('ids Journeyline derives cannot be taken by a client: a derived-looking id is an ordinary id, a space is refused, and no other customer is blocked', async () => {
    // what once blocked a victim: ids in the old derived formats, sent first by another customer
    const squat = await http(running(), 'POST', '/api/v1/events/batch', {
      events: [
        visit('victim-1:stage', 'mallory', 'awareness', '2026-11-01T09:00:00+07:00'),
        visit('churn-risk:victim:ticket-open-too-long:victim-t', 'mallory', 'evaluation', '2026-11-02T09:00:00+07:00'),
      ],
    });
    expect(squat.status).toBe(200);
    const legit = await http(running(), 'POST', '/api/v1/events', visit('victim-1', 'victim', 'awareness', '2026-11-03T09:00:00+07:00'));
    expect(legit.status).toBe(200);
    const events = await http(running(), 'GET', '/api/v1/customers/victim/events');
    expect(events.body.items.map((e: { eventId: string }) => e.eventId)).toEqual(['victim-1', 'stage victim-1']);

    // the namespace itself: an id with a space is Journeyline's, never a client's
    const spaced = await http(running(), 'POST', '/api/v1/events', visit('stage victim-2', 'mallory', 'use', '2026-11-04T09:00:00+07:00'));
    expect(spaced.status).toBe(400);
    expect(spaced.body.errors).toEqual([expect.objectContaining({ field: 'eventId', reason: expect.stringContaining('must not contain spaces') })]);

    // and the churn-risk rules still flag the victim (a ticket open for three days)
    const opened = new Date(Date.now() - 72 * 3_600_000).toISOString();
    expect(
      (
        await http(running(), 'POST', '/api/v1/events', {
          eventId: 'victim-t',
          type: 'ticket.opened',
          customerId: 'victim',
          occurredAt: opened,
          data: { ticketId: 'T-9' },
        })
      ).status,
    ).toBe(200);
    await waitFor(async () => (await http(running(), 'GET', '/api/v1/churn-risks')).body.items.some((i: { customerId: string }) => i.customerId === 'victim'));
    const health = await http(running(), 'GET', '/health');
    expect(health.body).toMatchObject({ status: 'ok', parked: [], reasons: [] });
  });

  it.each([
    ['/api/v1/retention?tz=', 'tz'],
    ['/api/v1/retention?tz=Mars/Olympus', 'tz'],
    ['/api/v1/retention?period=2026-11&tz=', 'tz'],
    ['/api/v1/retention/cohorts?tz=', 'tz'],
    ['/api/v1/retention/cohorts?tz=%00', 'tz'],
    ['/api/v1/metrics?metric=nps&tz=', 'tz'],
    ['/api/v1/customers?since=2026-11-01&tz=', 'tz'],
  ])('%s is a 400 naming %s, not a 500', async (url, field) => {
    const response = await http(running(), 'GET', url);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ field })]);
  });
});

describe('an event written below validation (e2e)', () => {
  it('is parked by the projections that cannot read it; the rest go on; /health says degraded and names it; the server restarts and a rebuild finishes', async () => {
    const dataDir = tempDataDir();
    let server = await startServer({}, dataDir);
    try {
      expect((await http(server, 'POST', '/api/v1/events', visit('before', 'c-before', 'awareness', '2026-11-01T09:00:00+07:00'))).status).toBe(200);
      // another process, below validation: the poison, straight into the log
      const side = SqliteEventStore.open(path.join(dataDir, 'journeyline.db'));
      await side.append([
        {
          streamId: 'customer-poison',
          expectedRevision: 'any',
          events: [{ eventId: 'poison-1', type: 'TouchpointVisited', occurredAt: '2026-11-02T02:00:00.000Z', data: { constructor: 'x' } }],
        },
      ]);
      await side.close();
      expect((await http(server, 'POST', '/api/v1/events', visit('after', 'c-after', 'awareness', '2026-11-03T09:00:00+07:00'))).status).toBe(200);
      await settled(server);

      const customers = await http(server, 'GET', '/api/v1/customers');
      expect(customers.body.items.map((c: { customerId: string }) => c.customerId).sort()).toEqual(['c-after', 'c-before']);
      expect((await http(server, 'GET', '/api/v1/metrics?metric=nps&window=90d')).status).toBe(200);
      // the poisoned customer's own pages answer too: the raw stream as stored, the journey without what it cannot read
      expect((await http(server, 'GET', '/api/v1/customers/poison/events')).body.items.map((e: { eventId: string }) => e.eventId)).toEqual(['poison-1']);
      expect((await http(server, 'GET', '/api/v1/customers/poison/journey')).status).toBe(404);
      const health = await http(server, 'GET', '/health');
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.parked).toEqual([
        expect.objectContaining({
          component: 'journey-map',
          count: 1,
          latest: [expect.objectContaining({ eventId: 'poison-1', error: expect.stringContaining('data.touchpoint') })],
        }),
      ]);
      expect(health.body.reasons.join(' ')).toMatch(/journey-map has 1 parked event.*retry-parked/);

      await server.stop();
      server = await startServer({}, dataDir);
      const again = await http(server, 'GET', '/health');
      expect(again.body).toMatchObject({ status: 'degraded', parked: [expect.objectContaining({ component: 'journey-map', count: 1 })] });
      await server.stop();

      const rebuilt = await runCli(dataDir, 'rebuild');
      expect(rebuilt).toMatch(/rebuilt: \d+ events/);
      expect(rebuilt).toMatch(/journey-map: 1 event\(s\) parked \(latest poison-1/);
      expect(await runCli(dataDir, 'retry-parked')).toMatch(/still parked: journey-map: 1/);
      server = await startServer({}, dataDir);
      expect((await http(server, 'GET', '/api/v1/customers')).body.items).toHaveLength(2);
    } finally {
      await server.stop();
    }
  }, 30_000);
});
