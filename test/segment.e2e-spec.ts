import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Analytics, type HTTPClient, type HTTPClientRequest } from '@segment/analytics-node';
import { EVENT_STORE, StoreUnavailableError, type EventStore } from '@journeyline/event-store';
import { runCli } from './support/cli';
import { http, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';

/**
 * The Segment-compatible source over real HTTP, driven by the real `@segment/analytics-node`
 * client: track, page, identify, alias and batching map onto journeys through a mapping file;
 * gzip; identity merges; resending; the write key; limits; clock skew; unmapped messages listed
 * and kept across a restart and a rebuild; a bad mapping file stops the start naming its line.
 */
const WRITE_KEY = 'segment-write-key-0123456789abcdef';

const MAPPING = `# what the shop's Segment events are
defaults:
  channel: web
track:
  - event: Product Viewed
    touchpoint: web:product
    stage: evaluation
  - event: Checkout *
    touchpoint: web:checkout
    stage: choice
  - event: Order Completed
    as: purchase.made
    currency: VND
  - event: NPS Answered
    as: feedback.given
    kind: nps
    touchpoint: hotline
    channel: phone
    from: { comment: feedback_text }
page:
  - path: /pricing*
    touchpoint: web:pricing
    stage: evaluation
screen:
  - name: Home
    touchpoint: app:home
    stage: use
identify:
  name: name
  email: email
  segment: plan
`;

function basic(key: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` };
}

/** What the client sent and what it was answered, request by request. */
/** An error answer: which field, why. */
interface Problem {
  errors: { field: string; reason: string }[];
}

interface Exchange {
  headers: Record<string, string>;
  body: string;
  status?: number;
}

function client(server: RunningServer, settings: { writeKey?: string; flushAt?: number; httpClient?: HTTPClient } = {}) {
  const exchanges: Exchange[] = [];
  const analytics = new Analytics({
    writeKey: settings.writeKey ?? WRITE_KEY,
    host: server.url,
    flushAt: settings.flushAt ?? 20,
    flushInterval: 100,
    maxRetries: 1,
    ...(settings.httpClient ? { httpClient: settings.httpClient } : {}),
  });
  analytics.on('http_request', (request) => void exchanges.push({ headers: request.headers, body: request.body }));
  analytics.on('http_response', (response) => {
    const pending = exchanges.find((e) => e.status === undefined);
    if (pending) pending.status = response.status;
  });
  return { analytics, exchanges };
}

async function eventsOf(
  server: RunningServer,
  customerId: string,
): Promise<{ type: string; eventId: string; occurredAt: string; data: Record<string, unknown> }[]> {
  const answer = await http(server, 'GET', `/api/v1/customers/${encodeURIComponent(customerId)}/events?limit=1000`);
  return answer.status === 200 ? answer.body.items : [];
}

async function journeyOf(server: RunningServer, customerId: string) {
  const answer = await http(server, 'GET', `/api/v1/customers/${encodeURIComponent(customerId)}/journey`);
  expect(answer.status).toBe(200);
  return answer.body;
}

async function unmapped(server: RunningServer) {
  const answer = await http(server, 'GET', '/api/v1/sources/segment/unmapped?limit=1000');
  expect(answer.status).toBe(200);
  return answer.body.items as {
    kind: string;
    name: string;
    count: number;
    firstSeen: string;
    lastSeen: string;
    exampleMessageId: string | null;
    reason: string;
  }[];
}

describe('the Segment source (e2e, the real analytics-node client)', () => {
  const dataDir = tempDataDir('journeyline-segment-');
  const mappingFile = path.join(dataDir, 'segment-mapping.yaml');
  fs.writeFileSync(mappingFile, MAPPING);
  const env = { JOURNEYLINE_SEGMENT_WRITE_KEY: WRITE_KEY, JOURNEYLINE_SEGMENT_MAPPING: mappingFile, JOURNEYLINE_BODY_LIMIT: String(1024 * 1024) };
  let server: RunningServer;
  let store: EventStore;

  beforeAll(async () => {
    server = await startServer(env, dataDir);
    store = server.app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('track, page, screen and identify through the client land in the journey, mapped; the client sends basic auth, JSON, no gzip', async () => {
    const { analytics, exchanges } = client(server, { flushAt: 4 });
    analytics.track({ userId: 'u-1', event: 'Product Viewed', properties: { sku: 'sku-9' }, messageId: 'm-track-1', timestamp: '2026-11-18T03:00:00.000Z' });
    analytics.page({ userId: 'u-1', name: 'Pricing', properties: { path: '/pricing/vn', url: 'https://shop.example/pricing/vn' }, messageId: 'm-page-1' });
    analytics.track({ userId: 'u-1', event: 'Checkout Started', messageId: 'm-track-2' });
    analytics.identify({
      userId: 'u-1',
      traits: { name: 'Nguyễn Văn A', email: 'a@example.vn', plan: 'gold', company: 'ACME' } as Record<string, unknown>,
      messageId: 'm-identify-1',
    });
    analytics.screen({ userId: 'u-1', name: 'Home', messageId: 'm-screen-1' });
    analytics.track({ userId: 'u-1', event: 'NPS Answered', properties: { score: 9, feedback_text: 'Nhân viên hỗ trợ nhanh' }, messageId: 'm-nps-1' });
    analytics.track({ userId: 'u-1', event: 'Order Completed', properties: { order_id: 'o-1', total: 199000 }, messageId: 'm-order-1' });
    await analytics.closeAndFlush();

    expect(exchanges.length).toBe(2); // batching: 4 + 3 messages
    expect(exchanges.map((e) => e.status)).toEqual([200, 200]);
    expect(exchanges[0].headers).toMatchObject({
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
    });
    expect(exchanges[0].headers['Content-Encoding']).toBeUndefined(); // analytics-node 3.1 sends plain JSON: gzip is tested below by hand
    expect(JSON.parse(exchanges[0].body)).toMatchObject({ batch: expect.any(Array), writeKey: WRITE_KEY, sentAt: expect.any(String) });

    await settled(server);
    const journey = await journeyOf(server, 'u-1');
    const touchpoints = journey.stages.flatMap((s: { stage: string; touchpoints: { touchpoint: string; channel: string }[] }) =>
      s.touchpoints.map((t) => `${t.touchpoint}/${t.channel}@${s.stage}`),
    );
    expect(touchpoints).toEqual(
      expect.arrayContaining(['web:product/web@evaluation', 'web:pricing/web@evaluation', 'web:checkout/web@choice', 'app:home/app@use']),
    );
    expect(journey.feedback).toEqual([
      expect.objectContaining({ kind: 'nps', score: 9, scale: '0-10', touchpoint: 'hotline', channel: 'phone', comment: 'Nhân viên hỗ trợ nhanh' }),
    ]);
    expect(journey.purchases).toEqual([expect.objectContaining({ orderId: 'o-1', amount: 199000, currency: 'VND' })]);
    expect(journey.profile).toMatchObject({ name: 'Nguyễn Văn A', email: 'a@example.vn', segment: 'gold' });
    const events = await eventsOf(server, 'u-1');
    const viewed = events.find((e) => e.type === 'touchpoint.visited' && e.data.touchpoint === 'web:product')!;
    expect(viewed.eventId).toBe('segment m:m-track-1 touchpoint.visited');
    // the batch's sentAt corrects the client's timestamp by the time in flight (Segment's rule), a few milliseconds here
    expect(Math.abs(Date.parse(viewed.occurredAt) - Date.parse('2026-11-18T03:00:00.000Z'))).toBeLessThan(5_000);
    // the trait no portrait field takes is listed by name, never by value
    expect((await unmapped(server)).find((u) => u.kind === 'identify' && u.name === 'company')).toMatchObject({ count: 1, exampleMessageId: 'm-identify-1' });
    expect(JSON.stringify(await unmapped(server))).not.toContain('ACME');
  });

  it('identify and alias chains record customer.merged in the surviving stream; resending the same messages adds nothing', async () => {
    const send = async () => {
      const { analytics, exchanges } = client(server, { flushAt: 10 });
      analytics.page({ anonymousId: 'anon-7', name: 'Landing', properties: { stage: 'awareness' }, messageId: 'm-anon-page' });
      analytics.identify({ userId: 'u-7', anonymousId: 'anon-7', traits: { email: 'b@example.vn' }, messageId: 'm-identify-7' });
      analytics.alias({ previousId: 'u-7', userId: 'u-8', messageId: 'm-alias-7' });
      analytics.track({ userId: 'u-8', anonymousId: 'anon-7', event: 'Product Viewed', messageId: 'm-track-8' });
      await analytics.closeAndFlush();
      return exchanges;
    };
    const first = await send();
    expect(first.map((e) => e.status)).toEqual([200]);
    await settled(server);
    const merges = async (id: string) => (await eventsOf(server, id)).filter((e) => e.type === 'customer.merged').map((e) => e.data.from);
    expect(await merges('u-7')).toEqual(['anon-7']);
    expect(await merges('u-8')).toEqual(['u-7', 'anon-7']);
    expect((await journeyOf(server, 'anon-7')).stages.length).toBeGreaterThan(0);

    const head = await store.headPosition();
    const again = await send();
    expect(again.map((e) => e.status)).toEqual([200]);
    expect(await store.headPosition()).toBe(head);
    const answer = await http(server, 'POST', '/v1/alias', { previousId: 'u-7', userId: 'u-8', messageId: 'm-alias-7' }, basic(WRITE_KEY));
    expect(answer.body).toEqual({ success: true, stored: 0, duplicates: 1, setAside: [], unmapped: [] });
  });

  it('gzip: a body gzipped by hand and by a client that gzips; a bad stream is a 400, a zip bomb a 413', async () => {
    const batch = {
      batch: [
        { type: 'track', userId: 'u-gz', event: 'Product Viewed', messageId: 'm-gz-1' },
        { type: 'page', userId: 'u-gz', properties: { path: '/pricing' }, messageId: 'm-gz-2' },
      ],
      sentAt: new Date().toISOString(),
    };
    const gzipped = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...basic(WRITE_KEY) },
      body: zlib.gzipSync(JSON.stringify(batch)),
    });
    expect([gzipped.status, await gzipped.json()]).toEqual([200, expect.objectContaining({ success: true, stored: 2 })]);

    // the real client, given an HTTP client that gzips its body (as Segment's mobile libraries do)
    const gzipping: HTTPClient = {
      makeRequest: async (request: HTTPClientRequest) => {
        const response = await fetch(request.url, {
          method: 'POST',
          headers: { ...request.headers, 'Content-Encoding': 'gzip' },
          body: zlib.gzipSync(request.body),
        });
        return { status: response.status, statusText: response.statusText, headers: response.headers };
      },
    };
    const { analytics, exchanges } = client(server, { httpClient: gzipping });
    analytics.track({ userId: 'u-gz', event: 'Checkout Started', messageId: 'm-gz-3' });
    await analytics.closeAndFlush();
    expect(exchanges.map((e) => e.status)).toEqual([200]);
    await settled(server);
    expect((await eventsOf(server, 'u-gz')).filter((e) => e.type === 'touchpoint.visited').map((e) => e.data.touchpoint)).toEqual([
      'web:product',
      'web:pricing',
      'web:checkout',
    ]);

    const head = await store.headPosition();
    const bad = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...basic(WRITE_KEY) },
      body: Buffer.from('this is not gzip at all'),
    });
    const badBody = (await bad.json()) as Problem;
    expect([bad.status, badBody.errors[0].field]).toEqual([400, 'body']);
    // 64 MiB of spaces inflate from about 64 KiB: stopped at the body limit (1 MiB here), never inflated whole
    const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const bombed = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...basic(WRITE_KEY) },
      body: bomb,
    });
    expect([bombed.status, ((await bombed.json()) as Problem).errors[0].field]).toEqual([413, 'body']);
    const deflated = await fetch(`${server.url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'br', ...basic(WRITE_KEY) },
      body: JSON.stringify(batch),
    });
    expect([deflated.status, ((await deflated.json()) as Problem).errors[0].field]).toEqual([415, 'content-encoding']);
    expect(await store.headPosition()).toBe(head);
  });

  it('a wrong write key gets 401 and stores nothing; the key also works as a Bearer key; analytics.js text/plain bodies are read', async () => {
    const head = await store.headPosition();
    const { analytics, exchanges } = client(server, { writeKey: 'not-the-write-key-at-all-0000000' });
    analytics.track({ userId: 'u-wrong', event: 'Product Viewed', messageId: 'm-wrong-1' });
    await analytics.closeAndFlush();
    expect(exchanges.map((e) => e.status)).toEqual([401]);
    expect(await store.headPosition()).toBe(head);
    expect((await http(server, 'POST', '/v1/track', { userId: 'u-x', event: 'Product Viewed' }, { authorization: '' })).status).toBe(401);

    const bearer = await http(
      server,
      'POST',
      '/v1/track',
      { userId: 'u-bearer', event: 'Product Viewed', messageId: 'm-b' },
      { authorization: `Bearer ${WRITE_KEY}` },
    );
    expect(bearer.body).toMatchObject({ success: true, stored: 1 });
    const text = await http(server, 'POST', '/v1/track', JSON.stringify({ userId: 'u-text', event: 'Product Viewed' }), {
      ...basic(WRITE_KEY),
      'content-type': 'text/plain',
    });
    expect(text.body).toMatchObject({ success: true, stored: 1 });
  });

  it("answers as Segment's clients read them: 200 {success: true} delivered, 400 dropped, 503 retried until stored", async () => {
    const ok = await http(server, 'POST', '/v1/track', { userId: 'u-codes', event: 'Product Viewed', messageId: 'm-codes-1' }, basic(WRITE_KEY));
    expect([ok.status, ok.body.success]).toEqual([200, true]);

    // a message the server finds malformed: the client gives it up after one try (retrying cannot help)
    const head = await store.headPosition();
    const dropped = client(server);
    dropped.analytics.track({ userId: 'u-codes', event: 'Product Viewed', messageId: 'm-codes-2', timestamp: '2099-01-01T00:00:00.000Z' });
    await dropped.analytics.closeAndFlush();
    expect(dropped.exchanges.map((e) => e.status)).toEqual([400]);
    expect(await store.headPosition()).toBe(head);

    // the store unavailable for a moment: a 503 saying when to retry, nothing stored; the client's retry is stored once
    const unavailable = () => new StoreUnavailableError('database is locked');
    // the write path's first append is appendNew (append comes after a lookup): the store fails twice either way
    const append = jest
      .spyOn(store as Required<EventStore>, 'appendNew')
      .mockRejectedValueOnce(unavailable())
      .mockRejectedValueOnce(unavailable());
    try {
      const busy = await http(server, 'POST', '/v1/track', { userId: 'u-codes', event: 'Checkout Started', messageId: 'm-codes-3' }, basic(WRITE_KEY));
      expect([busy.status, busy.headers.get('retry-after')]).toEqual([503, '5']);
      const retried = client(server);
      retried.analytics.track({ userId: 'u-codes', event: 'Checkout Started', messageId: 'm-codes-3' });
      await retried.analytics.closeAndFlush();
      expect(retried.exchanges.map((e) => e.status)).toEqual([503, 200]);
      expect(retried.exchanges[1].headers['X-Retry-Count']).toBe('1');
    } finally {
      append.mockRestore();
    }
    await settled(server);
    const visits = (await eventsOf(server, 'u-codes')).filter((e) => e.type === 'touchpoint.visited');
    expect(visits.map((e) => `${e.eventId} ${String(e.data.touchpoint)}`)).toEqual([
      'segment m:m-codes-1 touchpoint.visited web:product',
      'segment m:m-codes-3 touchpoint.visited web:checkout',
    ]);
  });

  it('malformed requests are 400s naming the field, and store nothing', async () => {
    const head = await store.headPosition();
    const cases: [string, unknown, string][] = [
      ['/v1/batch', { batch: [{ type: 'track', event: 'Product Viewed' }] }, 'batch[0].userId'],
      ['/v1/track', { event: 'Product Viewed' }, 'userId'],
      ['/v1/track', { userId: 'u-1' }, 'event'],
      ['/v1/alias', { userId: 'u-1' }, 'previousId'],
      ['/v1/group', { userId: 'u-1' }, 'groupId'],
      ['/v1/batch', { batch: [{ type: 'track', userId: { id: 1 }, event: 'x' }] }, 'batch[0].userId'],
      ['/v1/batch', { batch: [{ type: 'bogus', userId: 'u-1' }] }, 'batch[0].type'],
      ['/v1/batch', { batch: [{ type: 'track', userId: 'u-1', event: 'x', timestamp: 'yesterday' }] }, 'batch[0].timestamp'],
      ['/v1/batch', { batch: [{ type: 'track', userId: 'u-1', event: 'x', timestamp: '2099-01-01T00:00:00Z' }] }, 'batch[0].timestamp'],
      ['/v1/batch', { batch: [{ type: 'track', userId: 'u-1', event: 'x', properties: { big: 'x'.repeat(40_000) } }] }, 'batch[0]'],
      ['/v1/batch', { batch: [] }, 'batch'],
      ['/v1/batch', { events: [] }, 'batch'],
      ['/v1/batch', [1, 2], 'body'],
      ['/v1/track', { userId: 'u-1', event: 'x', type: 'page' }, 'type'],
      ['/v1/identify', { userId: 'x'.repeat(201) }, 'userId'],
      ['/v1/identify', { userId: 'u-1', messageId: 'a\u0000b' }, 'messageId'],
    ];
    for (const [route, body, field] of cases) {
      const answer = await http(server, 'POST', route, body, basic(WRITE_KEY));
      if (!answer.body?.errors) throw new Error(`${route} ${JSON.stringify(body).slice(0, 100)} answered ${answer.status} ${answer.text.slice(0, 300)}`);
      expect([route, JSON.stringify(body).slice(0, 80), answer.status, answer.body.errors.map((e: { field: string }) => e.field)]).toEqual([
        route,
        JSON.stringify(body).slice(0, 80),
        400,
        expect.arrayContaining([field]),
      ]);
    }
    const many = Array.from({ length: 40 }, (_, i) => ({
      type: 'track',
      userId: 'u-1',
      event: 'x',
      messageId: `big-${i}`,
      properties: { pad: 'x'.repeat(15_000) },
    }));
    const tooBig = await http(server, 'POST', '/v1/batch', { batch: many }, basic(WRITE_KEY));
    expect([tooBig.status, tooBig.body.errors[0].field]).toEqual([400, 'batch']);
    expect(await store.headPosition()).toBe(head);
  });

  it('a message a journey rule refuses is set aside and listed; the rest of the batch is stored', async () => {
    const answer = await http(
      server,
      'POST',
      '/v1/batch',
      {
        batch: [
          { type: 'track', userId: 'u-rule', event: 'Order Completed', properties: { order_id: 'o-9', total: 10 }, messageId: 'm-rule-1' },
          { type: 'track', userId: 'u-rule', event: 'Order Completed', properties: { order_id: 'o-9', total: 20 }, messageId: 'm-rule-2' },
          { type: 'track', userId: 'u-rule', event: 'Product Viewed', messageId: 'm-rule-3' },
        ],
      },
      basic(WRITE_KEY),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.setAside).toEqual([expect.objectContaining({ index: 1, messageId: 'm-rule-2', type: 'track', rule: expect.any(String) })]);
    await settled(server);
    expect((await journeyOf(server, 'u-rule')).purchases.map((p: { amount: number }) => p.amount)).toEqual([10]);
  });

  it('clock skew: the timestamp is corrected by receivedAt − sentAt, and a retry with another sentAt is the same message', async () => {
    const now = Date.now();
    const clientClock = now + 2 * 3_600_000; // the client's clock is two hours fast
    const body = (sentAt: number) => ({
      batch: [{ type: 'track', userId: 'u-skew', event: 'Product Viewed', messageId: 'm-skew', timestamp: new Date(clientClock - 5 * 60_000).toISOString() }],
      sentAt: new Date(sentAt).toISOString(),
    });
    expect((await http(server, 'POST', '/v1/batch', body(clientClock), basic(WRITE_KEY))).body).toMatchObject({ stored: 1 });
    const [visit] = (await eventsOf(server, 'u-skew')).filter((e) => e.type === 'touchpoint.visited');
    expect(Math.abs(Date.parse(visit.occurredAt) - (now - 5 * 60_000))).toBeLessThan(5_000);
    const retry = await http(server, 'POST', '/v1/batch', body(clientClock + 30_000), basic(WRITE_KEY));
    expect(retry.body).toMatchObject({ success: true, stored: 0, duplicates: 1, setAside: [] });
  });

  it('unmapped messages are kept and listed with counts, across a restart and a rebuild', async () => {
    const { analytics } = client(server, { flushAt: 10 });
    analytics.track({ userId: 'u-um', event: 'Mystery Clicked', messageId: 'm-um-1' });
    analytics.track({ userId: 'u-um', event: 'Mystery Clicked', messageId: 'm-um-2' });
    analytics.track({ userId: 'u-um', event: 'Mystery Clicked', messageId: 'm-um-2' }); // the same message again
    analytics.track({ userId: 'u-um', event: 'Signed Up', properties: { stage: 'awareness', channel: 'email' }, messageId: 'm-um-3' });
    analytics.track({ userId: 'u-um', event: '__proto__', messageId: 'm-um-4' });
    analytics.group({ userId: 'u-um', groupId: 'g-1', traits: { industry: 'retail' }, messageId: 'm-um-5' });
    analytics.page({ userId: 'u-um', name: 'Blog', messageId: 'm-um-6' });
    await analytics.closeAndFlush();
    await settled(server);
    const list = async () => (await unmapped(server)).filter((u) => ['Mystery Clicked', '__proto__', 'industry', 'Blog', 'Signed Up'].includes(u.name));
    const before = await list();
    expect(before.map(({ kind, name, count }) => ({ kind, name, count }))).toEqual([
      { kind: 'track', name: 'Mystery Clicked', count: 2 },
      { kind: 'group', name: 'industry', count: 1 },
      { kind: 'page', name: 'Blog', count: 1 },
      { kind: 'track', name: '__proto__', count: 1 },
    ]);
    expect(before[0]).toMatchObject({ exampleMessageId: 'm-um-1', reason: expect.stringContaining('no stage property') });
    expect(Date.parse(before[0].firstSeen)).toBeLessThanOrEqual(Date.parse(before[0].lastSeen));
    // a track that names its own stage is mapped by the default convention: recorded, not listed
    expect(
      (await eventsOf(server, 'u-um')).filter((e) => e.type === 'touchpoint.visited').map((e) => `${e.data.touchpoint}/${e.data.channel}@${e.data.stage}`),
    ).toEqual(['Signed Up/email@awareness']);

    await server.stop();
    server = await startServer(env, dataDir);
    store = server.app.get(EVENT_STORE);
    expect(await list()).toEqual(before);
    await server.stop();
    expect(await runCli(dataDir, 'rebuild', '--sequential')).toMatch(/rebuilt: \d+ events/);
    server = await startServer(env, dataDir);
    store = server.app.get(EVENT_STORE);
    await settled(server);
    expect(await list()).toEqual(before);
    const page = await http(server, 'GET', '/api/v1/sources/segment/unmapped?limit=1');
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const next = await http(server, 'GET', `/api/v1/sources/segment/unmapped?limit=1&cursor=${page.body.nextCursor}`);
    expect(next.body.items[0]).not.toEqual(page.body.items[0]);
  }, 60_000);
});

describe('without a mapping file the defaults hold; a mapping then applies to what arrives after it', () => {
  const dataDir = tempDataDir('journeyline-segment-defaults-');
  const mappingFile = path.join(dataDir, 'segment-mapping.yaml');
  let server: RunningServer;
  let before: Awaited<ReturnType<typeof eventsOf>>;
  afterAll(async () => {
    await server?.stop();
  });

  const visits = async (customerId: string) =>
    (await eventsOf(server, customerId)).filter((e) => e.type === 'touchpoint.visited').map((e) => `${e.data.touchpoint}/${e.data.channel}@${e.data.stage}`);

  it("with no mapping: a track's name is its touchpoint, a page's name (else path) on web, stage and channel from properties; userId, else anonymousId, is the customer", async () => {
    server = await startServer({ JOURNEYLINE_SEGMENT_WRITE_KEY: WRITE_KEY }, dataDir);
    const { analytics, exchanges } = client(server, { flushAt: 20 });
    analytics.track({ userId: 'u-d', event: 'Signed Up', properties: { stage: 'awareness', channel: 'email' }, messageId: 'm-d-1' });
    analytics.track({ userId: 'u-d', event: 'Plan Viewed', properties: { stage: 'evaluation' }, messageId: 'm-d-2' });
    analytics.track({ userId: 'u-d', event: 'Plan Viewed', messageId: 'm-d-3' }); // no stage: listed, not recorded
    analytics.page({ userId: 'u-d', name: 'Pricing', properties: { stage: 'evaluation', path: '/pricing' }, messageId: 'm-d-4' });
    analytics.page({ userId: 'u-d', properties: { stage: 'choice', path: '/checkout' }, messageId: 'm-d-5' });
    analytics.page({ anonymousId: 'anon-d', name: 'Landing', properties: { stage: 'awareness' }, messageId: 'm-d-6' });
    analytics.identify({ userId: 'u-d', traits: { name: 'Trần Thị B', email: 'b@example.vn', segment: 'smb', plan: 'gold' }, messageId: 'm-d-7' });
    analytics.group({ userId: 'u-d', groupId: 'g-d', traits: { plan: 'enterprise' }, messageId: 'm-d-8' });
    await analytics.closeAndFlush();
    expect(exchanges.map((e) => e.status)).toEqual([200]);
    await settled(server);

    expect(await visits('u-d')).toEqual(['Signed Up/email@awareness', 'Plan Viewed/segment@evaluation', 'Pricing/web@evaluation', '/checkout/web@choice']);
    expect(await visits('anon-d')).toEqual(['Landing/web@awareness']);
    // identify traits named as portrait fields fill it; a group call fills nothing without a mapping
    expect((await journeyOf(server, 'u-d')).profile).toMatchObject({ name: 'Trần Thị B', email: 'b@example.vn', segment: 'smb' });
    expect((await eventsOf(server, 'u-d')).filter((e) => e.type === 'customer.profiled')).toHaveLength(1);
    expect((await unmapped(server)).map(({ kind, name, count }) => `${kind} ${name} ${count}`)).toEqual(
      expect.arrayContaining(['track Plan Viewed 1', 'identify plan 1', 'group plan 1']),
    );
    before = await eventsOf(server, 'u-d');
  });

  it('restarted with a mapping: what was stored stays as it was; new messages are mapped (page URLs, NPS/CSAT/CES, tickets, purchases, identify and group traits)', async () => {
    await server.stop();
    fs.writeFileSync(
      mappingFile,
      `track:
  - event: Plan Viewed
    touchpoint: web:plans
    stage: evaluation
  - event: CSAT Answered
    as: feedback.given
    kind: csat
    scale: 1-5
    touchpoint: web:checkout
  - event: CES Answered
    as: feedback.given
    kind: ces
    scale: 1-7
    from: { score: effort }
  - event: NPS Answered
    as: feedback.given
    kind: nps
  - event: Ticket Opened
    as: ticket.opened
    channel: chat
  - event: Ticket Resolved
    as: ticket.resolved
  - event: Order Completed
    as: purchase.made
page:
  - url: https://shop.example.vn/checkout*
    touchpoint: web:checkout
    stage: choice
identify:
  name: name
  region: address.city
  segment: plan
group:
  segment: plan
`,
    );
    server = await startServer({ JOURNEYLINE_SEGMENT_WRITE_KEY: WRITE_KEY, JOURNEYLINE_SEGMENT_MAPPING: mappingFile }, dataDir);
    const unmappedBefore = (await unmapped(server)).find((u) => u.name === 'Plan Viewed');

    const { analytics, exchanges } = client(server, { flushAt: 20 });
    analytics.track({ userId: 'u-d', event: 'Plan Viewed', messageId: 'm-d-10' });
    analytics.page({ userId: 'u-d', name: 'Pay', properties: { url: 'https://shop.example.vn/checkout/pay?step=2' }, messageId: 'm-d-11' });
    analytics.track({ userId: 'u-d', event: 'CSAT Answered', properties: { score: 4 }, messageId: 'm-d-12' });
    analytics.track({ userId: 'u-d', event: 'CES Answered', properties: { effort: 6 }, messageId: 'm-d-13' });
    analytics.track({ userId: 'u-d', event: 'NPS Answered', properties: { score: 10 }, messageId: 'm-d-14' });
    analytics.track({ userId: 'u-d', event: 'Ticket Opened', properties: { ticket_id: 'T-1', subject: 'Giao hàng trễ' }, messageId: 'm-d-15' });
    analytics.track({ userId: 'u-d', event: 'Ticket Resolved', properties: { ticket_id: 'T-1' }, messageId: 'm-d-16' });
    analytics.track({ userId: 'u-d', event: 'Order Completed', properties: { order_id: 'o-d-1', revenue: 250000, currency: 'usd' }, messageId: 'm-d-17' });
    analytics.identify({ userId: 'u-d', traits: { address: { city: 'Huế' }, plan: 'pro' }, messageId: 'm-d-18' });
    analytics.group({ userId: 'u-d', groupId: 'g-d', traits: { plan: 'enterprise' }, messageId: 'm-d-19' });
    await analytics.closeAndFlush();
    expect(exchanges.map((e) => e.status)).toEqual([200]);
    await settled(server);

    const after = await eventsOf(server, 'u-d');
    expect(after.slice(0, before.length)).toEqual(before);
    expect(await visits('u-d')).toEqual([
      'Signed Up/email@awareness',
      'Plan Viewed/segment@evaluation',
      'Pricing/web@evaluation',
      '/checkout/web@choice',
      'web:plans/segment@evaluation',
      'web:checkout/web@choice',
    ]);
    const journey = await journeyOf(server, 'u-d');
    expect(journey.feedback.map((f: { kind: string; score: number; scale: string }) => `${f.kind} ${f.score} ${f.scale}`)).toEqual([
      'csat 4 1-5',
      'ces 6 1-7',
      'nps 10 0-10',
    ]);
    expect(journey.feedback[0]).toMatchObject({ touchpoint: 'web:checkout' });
    expect(journey.tickets).toEqual([expect.objectContaining({ ticketId: 'T-1', status: 'resolved', channel: 'chat', subject: 'Giao hàng trễ' })]);
    expect(journey.purchases).toEqual([expect.objectContaining({ orderId: 'o-d-1', amount: 250000, currency: 'USD' })]);
    // identify traits by the mapping's paths; then the group's plan fills the segment of the user who sent it
    expect(journey.profile).toMatchObject({ name: 'Trần Thị B', region: 'Huế', segment: 'enterprise' });
    // the list keeps what arrived under the old mapping: it says what to re-send, nothing is re-mapped
    expect((await unmapped(server)).find((u) => u.name === 'Plan Viewed')).toEqual(unmappedBefore);

    // re-sent under the new mapping: the message only listed before is recorded now; the one recorded
    // as a raw touchpoint keeps what it became (a client's retry across the change is never a 409 that drops its batch)
    const resent = await http(
      server,
      'POST',
      '/v1/batch',
      {
        batch: [
          { type: 'track', userId: 'u-d', event: 'Plan Viewed', properties: { stage: 'evaluation' }, messageId: 'm-d-2' },
          { type: 'track', userId: 'u-d', event: 'Plan Viewed', messageId: 'm-d-3' },
        ],
      },
      basic(WRITE_KEY),
    );
    expect([resent.status, resent.body]).toEqual([200, expect.objectContaining({ success: true, stored: 1, duplicates: 1 })]);
    await settled(server);
    const visitsNow = await visits('u-d');
    expect(visitsNow.filter((v) => v.startsWith('Plan Viewed'))).toEqual(['Plan Viewed/segment@evaluation']);
    expect(visitsNow.filter((v) => v.startsWith('web:plans'))).toEqual(['web:plans/segment@evaluation', 'web:plans/segment@evaluation']);
  });
});

describe('Segment requests over the rate limit', () => {
  it('are answered 429 with Retry-After, which Segment clients retry later, and store nothing', async () => {
    const server = await startServer({ JOURNEYLINE_SEGMENT_WRITE_KEY: WRITE_KEY, JOURNEYLINE_RATE_LIMIT_INGEST_PER_KEY: '2' });
    try {
      const store = server.app.get<EventStore>(EVENT_STORE);
      const send = (n: number) =>
        http(server, 'POST', '/v1/track', { userId: 'u-rl', event: 'Signed Up', properties: { stage: 'awareness' }, messageId: `m-rl-${n}` }, basic(WRITE_KEY));
      expect([(await send(1)).status, (await send(2)).status]).toEqual([200, 200]);
      const head = await store.headPosition();
      const over = await send(3);
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await store.headPosition()).toBe(head);
    } finally {
      await server.stop();
    }
  });
});

describe('a mapping file with a bad line', () => {
  const dir = tempDataDir('journeyline-segment-bad-');
  const file = path.join(dir, 'mapping.yaml');
  fs.writeFileSync(file, ['track:', '  - event: Product Viewed', '    stage: evalution', '    colour: blue', ''].join('\n'));

  it('fails the start, naming the file and the lines', async () => {
    await expect(startServer({ JOURNEYLINE_SEGMENT_MAPPING: file }, dir)).rejects.toThrow(
      /JOURNEYLINE_SEGMENT_MAPPING file .*mapping\.yaml is invalid: line 3: track\[0\]\.stage "evalution" is not a journey stage .*; line 4: track\[0\]\.colour is not a field here/,
    );
  });

  it('the server process says so in one line on stderr and exits', () => {
    const run = spawnSync(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, '..', 'apps', 'server', 'src', 'main.ts')], {
      env: {
        ...process.env,
        PORT: '0',
        JOURNEYLINE_DATA_DIR: dir,
        JOURNEYLINE_SEGMENT_MAPPING: file,
        JOURNEYLINE_ADMIN_KEY: 'journeyline-test-admin-key-0123456789',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^journeyline: cannot start: JOURNEYLINE_SEGMENT_MAPPING file .* is invalid: line 3: /);
  }, 90_000);
});
