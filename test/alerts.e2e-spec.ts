import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@journeyline/platform';
import { runCli } from './support/cli';
import { createTestDatabase, type TestDatabase } from './support/postgres-test-database';
import { bearer, http, postAll, settled, startServer, tempDataDir, waitFor, type RunningServer, PROJECTOR_THREAD } from './support/running-server';

/**
 * Targets and alerts over real HTTP: targets set, listed and removed by the right keys; answers
 * clearly below a CSAT target open exactly one alert, enough good answers close it once; a
 * restart and a `journeyline rebuild` raise nothing new. Every breach and recovery is POSTed to
 * local receivers: one fails twice then takes it (delivered on the 3rd try, signed), one always
 * fails (dead-lettered after JOURNEYLINE_WEBHOOK_MAX_ATTEMPTS, in the delivery log).
 */
const SECRET = 'alerts-e2e-webhook-secret-0123456789';
const MAX_ATTEMPTS = 3;

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A receiver: `/flaky` answers 503 to the first two tries of each event, then 200; `/down` always 500. */
function receiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const tries = new Map<string, number>();
  const server = createHttpServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: request.url ?? '', headers: request.headers, body });
      const key = `${request.url} ${request.headers['x-journeyline-event-id']}`;
      const n = (tries.get(key) ?? 0) + 1;
      tries.set(key, n);
      response.statusCode = request.url === '/flaky' ? (n <= 2 ? 503 : 200) : 500;
      response.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received })),
  );
}

let seq = 0;
/** CSAT answers at the hotline, yesterday: `satisfied` of them 5 of 5, the rest 1 of 5. */
function csatAnswers(total: number, satisfied: number) {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  return Array.from({ length: total }, (_, i) => {
    seq += 1;
    return {
      eventId: `csat-${seq}`,
      type: 'feedback.given',
      customerId: `c-${seq}`,
      occurredAt: at,
      data: { kind: 'csat', score: i < satisfied ? 5 : 1, scale: '1-5', touchpoint: 'hotline', channel: 'phone', stage: 'use' },
    };
  });
}

/** Runs `work` with these variables set in this process (the CLI reads its store from the environment). */
async function withEnv<T>(vars: Record<string, string>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((name) => [name, process.env[name]]));
  Object.assign(process.env, vars);
  try {
    return await work();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(['sqlite', 'postgres'] as const)('targets and alerts on %s (e2e)', (store) => {
  let hooks: Awaited<ReturnType<typeof receiver>>;
  let server: RunningServer;
  let database: TestDatabase | null = null;
  const dataDir = tempDataDir('journeyline-alerts-');
  let env: Record<string, string>;

  beforeAll(async () => {
    hooks = await receiver();
    database = store === 'postgres' ? await createTestDatabase('jl_alerts') : null;
    env = {
      ...PROJECTOR_THREAD,
      ...(database ? { JOURNEYLINE_STORE: 'postgres', JOURNEYLINE_STORE_URL: database.url } : {}),
      JOURNEYLINE_TZ: 'UTC',
      JOURNEYLINE_ALERT_INTERVAL_MS: '100',
      JOURNEYLINE_WEBHOOKS: `${hooks.url}/flaky,${hooks.url}/down`,
      JOURNEYLINE_WEBHOOK_SECRET: SECRET,
      JOURNEYLINE_WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
      JOURNEYLINE_WEBHOOK_BACKOFF_MS: '50',
      JOURNEYLINE_WEBHOOK_BACKOFF_MAX_MS: '200',
    };
    server = await startServer(env, dataDir);
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    // the receivers end their keep-alive sockets too: close() alone waits for a busy one
    await new Promise((resolve) => {
      hooks.server.close(resolve);
      hooks.server.closeAllConnections();
    });
    await database?.drop();
  });

  const alerts = async (status?: string) => (await http(server, 'GET', `/api/v1/alerts${status ? `?status=${status}` : ''}`)).body.items;

  it('targets: set, listed, replaced, removed; bad ones are 400s naming the field; a read key cannot set one', async () => {
    const csat = await http(server, 'POST', '/api/v1/targets', { metric: 'csat', touchpoint: 'hotline', min: 80 });
    expect(csat.status).toBe(201);
    expect(csat.body).toEqual({ targetId: expect.any(String), metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, min: 80 });
    const ttr = await http(server, 'POST', '/api/v1/targets', { metric: 'ttr', max: 4 });
    expect(ttr.body).toMatchObject({ metric: 'ttr', scope: { kind: 'all', value: null }, max: 4 });
    const again = await http(server, 'POST', '/api/v1/targets', { metric: 'ttr', max: 6 });
    expect(again.body).toMatchObject({ targetId: ttr.body.targetId, max: 6 });
    expect((await http(server, 'GET', '/api/v1/targets')).body.items).toHaveLength(2);

    expect((await http(server, 'DELETE', `/api/v1/targets/${ttr.body.targetId}`)).status).toBe(200);
    expect((await http(server, 'DELETE', `/api/v1/targets/${ttr.body.targetId}`)).status).toBe(404);
    expect((await http(server, 'GET', '/api/v1/targets')).body.items).toEqual([csat.body]);

    for (const [body, field] of [
      [{ metric: 'ttr', min: 4 }, 'min'],
      [{ metric: 'csat' }, 'min'],
      [{ metric: 'csat', min: 80, max: 90 }, 'max'],
      [{ metric: 'speed', min: 1 }, 'metric'],
      [{ metric: 'nps', min: 130 }, 'min'],
      [{ metric: 'nps', min: 'high' }, 'min'],
      [{ metric: 'nps', min: 30, touchpoint: 'hotline', owner: 'cskh' }, 'owner'],
      [{ metric: 'nps', min: 30, colour: 'red' }, 'colour'],
    ] as const) {
      const refused = await http(server, 'POST', '/api/v1/targets', body);
      expect([body, refused.status, refused.body.errors.map((e: { field: string }) => e.field)]).toEqual([body, 400, expect.arrayContaining([field])]);
    }

    const reader = (await http(server, 'POST', '/api/v1/keys', { name: 'analyst', scopes: ['read'] })).body.key;
    expect((await http(server, 'POST', '/api/v1/targets', { metric: 'nps', min: 30 }, bearer(reader))).status).toBe(403);
    expect((await http(server, 'DELETE', `/api/v1/targets/${csat.body.targetId}`, undefined, bearer(reader))).status).toBe(403);
    expect((await http(server, 'GET', '/api/v1/webhooks/deliveries', undefined, bearer(reader))).status).toBe(403);
    expect((await http(server, 'GET', '/api/v1/targets', undefined, bearer(reader))).status).toBe(200);
    expect((await http(server, 'GET', '/api/v1/alerts?status=maybe')).status).toBe(400);

    const audit = (await http(server, 'GET', '/api/v1/audit')).body.items.map((e: { action: string }) => e.action);
    expect(audit.filter((a: string) => a === 'target.set')).toHaveLength(3);
    expect(audit).toContain('target.removed');
  }, 30_000);

  it('a few answers below the target: no alert; clearly below: exactly one; recovery: exactly one', async () => {
    // 2 of 3 satisfied: 66.7%, below 80%, but the interval reaches well above it
    await postAll(server, csatAnswers(3, 2));
    await settled(server);
    await pause(500);
    expect(await alerts()).toEqual([]);

    // 12 of 60 satisfied: 20%, the whole interval far below 80%
    await postAll(server, csatAnswers(60, 12));
    await settled(server);
    await waitFor(async () => (await alerts('open')).length > 0);
    await pause(500);
    const open = await alerts();
    expect(open).toEqual([
      expect.objectContaining({ status: 'open', metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, target: 80, bound: 'min', episode: 1 }),
    ]);
    expect(open[0].n).toBe(63);
    expect(open[0].high).toBeLessThan(80);

    // 200 satisfied answers: 214 of 263, 81.4%, back above the target
    await postAll(server, csatAnswers(200, 200));
    await settled(server);
    await waitFor(async () => (await alerts('closed')).length > 0);
    await pause(500);
    const closed = await alerts();
    expect(closed).toEqual([expect.objectContaining({ alertId: open[0].alertId, status: 'closed', closedBecause: 'recovered' })]);
    expect(closed[0].closedWith.value).toBeGreaterThanOrEqual(80);
    expect(await alerts('open')).toEqual([]);
  }, 60_000);

  it('each breach and recovery reaches the webhooks: retried with backoff, signed, dead-lettered after N tries', async () => {
    const deliveries = async (status?: string) => (await http(server, 'GET', `/api/v1/webhooks/deliveries${status ? `?status=${status}` : ''}`)).body.items;
    await waitFor(async () => (await deliveries()).every((d: { status: string }) => d.status !== 'pending') && (await deliveries()).length === 4, 15_000);

    const delivered = await deliveries('delivered');
    expect(delivered.map((d: { eventType: string }) => d.eventType).sort()).toEqual(['AlertClosed', 'AlertOpened']);
    for (const d of delivered) {
      expect(d).toMatchObject({ url: `${hooks.url}/flaky`, attempts: 3, lastStatusCode: 200, nextAttemptAt: null });
      expect(d.history.map((a: { outcome: string; statusCode: number }) => [a.outcome, a.statusCode])).toEqual([
        ['failed', 503],
        ['failed', 503],
        ['delivered', 200],
      ]);
      expect(d.history[0].nextRetryAt).not.toBeNull();
    }
    const dead = await deliveries('dead');
    expect(dead).toHaveLength(2);
    for (const d of dead) {
      expect(d).toMatchObject({ url: `${hooks.url}/down`, attempts: MAX_ATTEMPTS, lastStatusCode: 500, lastError: 'the receiver answered 500' });
      expect(d.history.map((a: { outcome: string }) => a.outcome)).toEqual(['failed', 'failed', 'dead']);
    }

    const accepted = hooks.received.filter((r) => r.path === '/flaky');
    expect(accepted).toHaveLength(6);
    for (const request of accepted) {
      const timestamp = Number(request.headers['x-journeyline-timestamp']);
      expect(verifyWebhookSignature(SECRET, timestamp, request.body, String(request.headers['x-journeyline-signature']))).toBe(true);
      expect(verifyWebhookSignature('another-secret-0123456789', timestamp, request.body, String(request.headers['x-journeyline-signature']))).toBe(false);
    }
    const last = JSON.parse(accepted[accepted.length - 1].body);
    expect(['alert.opened', 'alert.closed']).toContain(last.type);
    expect(last.data).toMatchObject({ metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, target: 80 });
    expect(hooks.received.filter((r) => r.path === '/down')).toHaveLength(2 * MAX_ATTEMPTS);
  }, 30_000);

  it('a restart and a rebuild raise nothing new and deliver nothing again', async () => {
    const before = await alerts();
    const received = hooks.received.length;
    await server.stop();
    server = await startServer(env, dataDir);
    await settled(server);
    await pause(800);
    expect(await alerts()).toEqual(before);

    await server.stop();
    expect(await withEnv(database ? { JOURNEYLINE_STORE: 'postgres', JOURNEYLINE_STORE_URL: database.url } : {}, () => runCli(dataDir, 'rebuild'))).toMatch(
      /rebuilt/,
    );
    server = await startServer(env, dataDir);
    await settled(server);
    await pause(800);
    expect(await alerts()).toEqual(before);
    expect((await http(server, 'GET', '/api/v1/webhooks/deliveries')).body.items).toHaveLength(4);
    expect(hooks.received.length).toBe(received);
  }, 60_000);
});
