import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from './support/postgres-test-database';
import { http, settled, startServer, type RunningServer } from './support/running-server';

/** The HTTP API with the event log and the read models in PostgreSQL (JOURNEYLINE_STORE=postgres). */
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
    data: { ticketId: 'T-1', touchpoint: 'hotline', channel: 'phone' },
  },
  { eventId: 'w-7', type: 'ticket.resolved', customerId: 'c-1042', occurredAt: '2026-11-09T13:00:00+07:00', data: { ticketId: 'T-1' } },
  {
    eventId: 'w-8',
    type: 'feedback.given',
    customerId: 'c-1042',
    occurredAt: '2026-11-10T09:15:00+07:00',
    data: { kind: 'nps', score: 9, scale: '0-10', touchpoint: 'hotline', channel: 'phone', stage: 'use', comment: 'Nhân viên hỗ trợ nhanh' },
  },
  visit('w-9', 'advocacy', '2026-11-20T09:00:00+07:00', 'referral:link'),
  {
    eventId: 'w-10',
    type: 'customer.profiled',
    customerId: 'c-1042',
    occurredAt: '2026-11-01T09:00:00+07:00',
    data: { segment: 'SME', region: 'Hồ Chí Minh' },
  },
];

describe('HTTP API on PostgreSQL (e2e)', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let sql: Client;
  const postgresEnv = () => ({ JOURNEYLINE_STORE: 'postgres', JOURNEYLINE_STORE_URL: database.url });

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer(postgresEnv());
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 20_000);
  afterAll(async () => {
    await sql?.end();
    await server?.stop();
    await database?.drop();
  });

  const position = async () => (await http(server, 'GET', '/health')).body.position as number;
  const storedCount = async () => Number((await sql.query('SELECT count(*) AS n FROM journeyline.events')).rows[0].n);

  it('reports postgres on /health', async () => {
    const health = await http(server, 'GET', '/health');
    expect(health.status).toBe(200);
    // the log holds the first admin key, its audit entry, and version 1 of the metric definitions and of the churn-risk rules
    expect(health.body).toMatchObject({ status: 'ok', store: 'postgres', position: 4 });
    expect(health.body.projections.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['churn-risks', 'cx-metrics', 'journey-map']));
  });

  it('posts a journey and reads it back from the Postgres read models', async () => {
    const single = await http(server, 'POST', '/api/v1/events', walk[0]);
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({ eventId: 'w-1', customerId: 'c-1042', duplicate: false });
    const batch = await http(server, 'POST', '/api/v1/events/batch', { events: walk.slice(1) });
    expect(batch.status).toBe(200);
    expect(batch.body.stored).toBe(walk.length - 1);
    await settled(server);

    const journey = await http(server, 'GET', '/api/v1/customers/c-1042/journey');
    expect(journey.status).toBe(200);
    expect(journey.body.currentStage).toBe('advocacy');
    expect(journey.body.stages.map((s: any) => s.stage)).toEqual(['awareness', 'evaluation', 'choice', 'purchase', 'use', 'advocacy']);
    expect(journey.body.tickets).toEqual([expect.objectContaining({ ticketId: 'T-1', status: 'resolved', resolutionMs: 4 * 3_600_000 })]);
    expect(journey.body.profile).toEqual({ segment: 'SME', region: 'Hồ Chí Minh' });

    const events = await http(server, 'GET', '/api/v1/customers/c-1042/events?limit=100');
    expect(events.status).toBe(200);
    expect(events.body.items.map((e: any) => e.revision)).toEqual(events.body.items.map((_: unknown, i: number) => i));

    const customers = await http(server, 'GET', '/api/v1/customers');
    expect(customers.body.items).toEqual([expect.objectContaining({ customerId: 'c-1042', currentStage: 'advocacy', segment: 'SME' })]);
    const nps = await http(server, 'GET', '/api/v1/metrics?metric=nps&by=touchpoint&from=2026-11-01&to=2026-12-01');
    expect(nps.status).toBe(200);
    expect(nps.body.rows).toEqual([expect.objectContaining({ key: 'hotline', value: 100, n: 1, promoters: 1 })]);
    const ttr = await http(server, 'GET', '/api/v1/metrics?metric=ttr&by=channel&from=2026-11-01&to=2026-12-01');
    expect(ttr.body.rows).toEqual([expect.objectContaining({ key: 'phone', value: 4, n: 1 })]);
    for (const path of [
      '/api/v1/funnel?from=2026-11-01&to=2026-12-01',
      '/api/v1/retention?from=2026-11-01&to=2026-12-01',
      '/api/v1/churn-risks',
      '/api/v1/touchpoints/worst?metric=nps&from=2026-11-01&to=2026-12-01',
    ]) {
      expect({ path, status: (await http(server, 'GET', path)).status }).toEqual({ path, status: 200 });
    }
  });

  it('keeps the log in schema journeyline and the read models in journeyline_read', async () => {
    const tables = await sql.query(`SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'journeyline%' ORDER BY 1, 2`);
    const bySchema = (schema: string) => tables.rows.filter((r) => r.table_schema === schema).map((r) => r.table_name);
    // the customers' data keys sit beside the log, apart from the read models
    expect(bySchema('journeyline')).toEqual(['customer_keys', 'events', 'journeyline_migrations']);
    expect(bySchema('journeyline_read')).toEqual(
      expect.arrayContaining(['jm_customers', 'jm_comments', 'cx_buckets', 'churn_risk_flags', 'projection_checkpoints', 'journeyline_migrations']),
    );
    expect(await storedCount()).toBe(await position());
  });

  it('replaying the same batch returns the same positions and stores nothing', async () => {
    const before = await storedCount();
    const replay = await http(server, 'POST', '/api/v1/events/batch', { events: walk });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ stored: 0, duplicates: walk.length });
    const original = await http(server, 'GET', '/api/v1/customers/c-1042/events?limit=100');
    const byId = new Map(original.body.items.map((e: any) => [e.eventId, e.position]));
    expect(replay.body.positions).toEqual(walk.map((e) => byId.get(e.eventId)));
    expect(await storedCount()).toBe(before);
  });

  const good = { type: 'touchpoint.visited', customerId: 'c-bad', data: { touchpoint: 'web:home', channel: 'web', stage: 'awareness' } };
  it.each([
    ['an unknown stage is a 400', { ...good, data: { ...good.data, stage: 'loyalty' } }, 400],
    ['a score outside its scale is a 422', { type: 'feedback.given', customerId: 'c-bad', data: { kind: 'nps', score: 11, scale: '0-10' } }, 422],
    ['a ticket never opened is a 422', { type: 'ticket.resolved', customerId: 'c-bad', data: { ticketId: 'T-404' } }, 422],
    ['a reused eventId with another body is a 409', { ...walk[1], data: { ...walk[1].data, touchpoint: 'web:other' } }, 409],
  ])('%s, and nothing is stored', async (_name, event, status) => {
    const before = await storedCount();
    const response = await http(server, 'POST', '/api/v1/events', event);
    expect(response.status).toBe(status);
    expect(await storedCount()).toBe(before);
  });

  it('a batch with one bad event stores none of the good ones', async () => {
    const before = await storedCount();
    const response = await http(server, 'POST', '/api/v1/events/batch', {
      events: [good, { ...good, customerId: 'c-other' }, { type: 'ticket.resolved', customerId: 'c-other', data: { ticketId: 'nope' } }],
    });
    expect(response.status).toBe(422);
    expect(await storedCount()).toBe(before);
    expect((await http(server, 'GET', '/api/v1/customers/c-other/events')).status).toBe(404);
  });

  it('a second server on the same database sees the first one’s appends, and keeps everything across a restart', async () => {
    const other = await startServer(postgresEnv());
    try {
      const appended = await http(other, 'POST', '/api/v1/events', { ...good, eventId: 'x-1', customerId: 'c-2000' });
      expect(appended.status).toBe(200);
      await settled(server);
      const journey = await http(server, 'GET', '/api/v1/customers/c-2000/journey');
      expect(journey.status).toBe(200);
      expect(journey.body.currentStage).toBe('awareness');
    } finally {
      await other.stop();
    }

    const head = await position();
    await server.stop();
    server = await startServer(postgresEnv());
    expect(await position()).toBe(head);
    const replay = await http(server, 'POST', '/api/v1/events/batch', { events: walk });
    expect(replay.body.stored).toBe(0);
    await settled(server);
    expect((await http(server, 'GET', '/api/v1/customers/c-1042/journey')).body.currentStage).toBe('advocacy');
  }, 20_000);
});
