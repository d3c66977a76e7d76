import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { ConfigError, loadConfig } from '@journeyline/platform';
import { FirstAdminKey } from '../apps/server/src/access/first-admin-key';
import { registeredRoutes } from '../apps/server/src/server';
import { runCli } from './support/cli';
import { ensureDashboardBuilt } from './support/dashboard-build';
import { freePort } from './support/free-port';
import { bearer, http, serverForSuite, startServer, tempDataDir, TEST_ADMIN_KEY, waitFor, type RunningServer } from './support/running-server';
import { startServerProcess, type ServerProcess } from './support/server-process';

/**
 * Who may ask what, over real HTTP: the authorization matrix (every route the router knows × no
 * key, a wrong key, a malformed header, and a key of each scope), keys made, listed, rotated and
 * revoked, the dashboard's session cookie, rate limits, allowed hosts, CORS and the security
 * headers, the Segment write key, and the first admin key.
 */

/** What each route needs. A route the router serves that is missing here fails the matrix: a new route cannot be forgotten. */
const NEEDS: Record<string, 'public' | 'signed-in' | 'ingest' | 'read' | 'admin' | 'survey'> = {
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'read',
  'GET /api/docs': 'public',
  'GET /api/docs-json': 'public',
  'GET /api/docs/:file': 'public',
  'GET /*': 'public',
  'POST /api/v1/session': 'public',
  'DELETE /api/v1/session': 'public',
  'GET /api/v1/session': 'signed-in',
  'POST /api/v1/events': 'ingest',
  'POST /api/v1/events/batch': 'ingest',
  'GET /api/v1/customers': 'read',
  'GET /api/v1/customers/:id/events': 'read',
  'GET /api/v1/customers/:id/journey': 'read',
  'GET /api/v1/metrics': 'read',
  'GET /api/v1/metrics/definitions': 'read',
  'GET /api/v1/metrics/series': 'read',
  'GET /api/v1/metrics/distribution': 'read',
  'GET /api/v1/definitions/metrics': 'read',
  'PUT /api/v1/definitions/metrics': 'admin',
  'GET /api/v1/definitions/churn-rules': 'read',
  'PUT /api/v1/definitions/churn-rules': 'admin',
  'GET /api/v1/metrics/explain': 'read',
  'GET /api/v1/touchpoints/worst': 'read',
  'GET /api/v1/touchpoints/by-stage': 'read',
  'GET /api/v1/touchpoints/attention': 'read',
  'GET /api/v1/touchpoints/:touchpoint/comments': 'read',
  'GET /api/v1/touchpoints': 'read',
  'PUT /api/v1/touchpoints/:touchpoint': 'admin',
  'GET /api/v1/touchpoints/:touchpoint/history': 'read',
  'GET /api/v1/funnel': 'read',
  'GET /api/v1/retention': 'read',
  'GET /api/v1/retention/cohorts': 'read',
  'GET /api/v1/churn-risks': 'read',
  'GET /api/v1/follow-ups': 'read',
  'GET /api/v1/follow-ups/stats': 'read',
  'GET /api/v1/follow-ups/:id': 'read',
  'PATCH /api/v1/follow-ups/:id': 'admin',
  'POST /v1/batch': 'ingest',
  'POST /v1/track': 'ingest',
  'POST /v1/identify': 'ingest',
  'POST /v1/page': 'ingest',
  'POST /v1/screen': 'ingest',
  'POST /v1/alias': 'ingest',
  'POST /v1/group': 'ingest',
  'GET /api/v1/sources/segment/unmapped': 'read',
  'POST /api/v1/import': 'admin',
  'GET /api/v1/export': 'read',
  'POST /api/v1/keys': 'admin',
  'GET /api/v1/keys': 'admin',
  'DELETE /api/v1/keys/:id': 'admin',
  'POST /api/v1/keys/:id/rotate': 'admin',
  'GET /api/v1/audit': 'admin',
  'GET /api/v1/customers/:id/export': 'admin',
  'DELETE /api/v1/customers/:id': 'admin',
  'POST /api/v1/customers/merge': 'admin',
  'POST /api/v1/customers/unmerge': 'admin',
  'POST /api/v1/surveys': 'admin',
  'GET /api/v1/surveys': 'admin',
  'GET /api/v1/surveys/:surveyId': 'admin',
  'POST /api/v1/surveys/:surveyId/links': 'survey',
  'POST /api/v1/surveys/:surveyId/answers': 'survey',
  'GET /api/v1/surveys/:surveyId/response-rate': 'read',
  'GET /api/v1/surveys/response-rates': 'read',
  'POST /api/v1/targets': 'admin',
  'GET /api/v1/targets': 'read',
  'DELETE /api/v1/targets/:targetId': 'admin',
  'GET /api/v1/alerts': 'read',
  'GET /api/v1/webhooks/deliveries': 'admin',
  'GET /s/:token': 'public',
  'POST /s/:token': 'public',
};

const SCOPED = ['ingest', 'read', 'survey', 'admin'] as const;

function event(customerId: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'touchpoint.visited',
    customerId,
    occurredAt: '2026-11-20T09:00:00+07:00',
    data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation' },
    ...extra,
  };
}

async function makeKey(server: RunningServer, scopes: string[], name = `key ${scopes.join('+')}`): Promise<{ id: string; key: string }> {
  const made = await http(server, 'POST', '/api/v1/keys', { name, scopes });
  expect(made.status).toBe(201);
  return made.body;
}

describe('access (e2e)', () => {
  beforeAll(() => ensureDashboardBuilt());

  describe('the authorization matrix, generated from the router', () => {
    // every wrong key below is a failed sign-in: the per-address limit would stop the matrix half way
    const running = serverForSuite({ JOURNEYLINE_RATE_LIMIT_AUTH_FAILURES: '100000' });
    const keys: Record<string, string> = {};
    /** A survey link's token: the public survey page refuses any other with 403, as it should. */
    let surveyToken = '';

    beforeAll(async () => {
      for (const scope of SCOPED) keys[scope] = scope === 'admin' ? TEST_ADMIN_KEY : (await makeKey(running(), [scope])).key;
      expect((await http(running(), 'POST', '/api/v1/events', event('c-matrix'))).status).toBe(200);
      const survey = { surveyId: 'matrix', metric: 'nps', touchpoint: 'hotline', channel: 'phone', stage: 'use', question: { vi: 'Điểm?', en: 'Score?' } };
      expect((await http(running(), 'POST', '/api/v1/surveys', survey)).status).toBe(201);
      surveyToken = (await http(running(), 'POST', '/api/v1/surveys/matrix/links', { customerId: 'c-matrix' })).body.token;
    });

    it('knows what every route needs', () => {
      const routes = registeredRoutes(running().app).map((r) => `${r.method} ${r.url}`);
      expect(routes.filter((r) => !(r in NEEDS) && !r.startsWith('OPTIONS '))).toEqual([]);
      expect(Object.keys(NEEDS).filter((r) => !routes.includes(r))).toEqual([]);
    });

    it('every route × no key, a wrong key, a malformed header and each scope: 401, 403 or in', async () => {
      const throwaway = await makeKey(running(), ['read'], 'throwaway');
      const cases: { name: string; headers: Record<string, string>; scopes: string[] | null }[] = [
        { name: 'no key', headers: { authorization: '' }, scopes: null },
        { name: 'a wrong key', headers: bearer(`jlk_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`), scopes: null },
        { name: 'a wrong chosen key', headers: bearer('not-a-key-of-this-store-at-all-0000'), scopes: null },
        { name: 'a malformed header', headers: { authorization: 'Token abc' }, scopes: null },
        ...SCOPED.map((scope) => ({ name: `a ${scope} key`, headers: bearer(keys[scope]), scopes: [scope] })),
      ];
      const seen: string[] = [];
      for (const route of registeredRoutes(running().app).filter((r) => r.method !== 'OPTIONS')) {
        const needs = NEEDS[`${route.method} ${route.url}`];
        const url = route.url
          .replace(':id/rotate', `${throwaway.id}/rotate`)
          .replace('keys/:id', `keys/${throwaway.id}`)
          .replace(':id', 'c-matrix')
          .replace(':touchpoint', 'web%3Apricing')
          .replace(':surveyId', 'matrix')
          .replace(':token', surveyToken)
          .replace('*', 'customers');
        for (const { name, headers, scopes } of cases) {
          const body =
            route.method === 'POST'
              ? route.url.endsWith('/batch')
                ? { events: [event('c-matrix')] }
                : route.url.endsWith('/events')
                  ? event('c-matrix')
                  : {}
              : undefined;
          const answer = await http(running(), route.method, url, body, headers);
          const where = `${route.method} ${url} with ${name} → ${answer.status} ${answer.text.slice(0, 200)}`;
          if (needs === 'public') {
            expect([where, [401, 403].includes(answer.status)]).toEqual([where, false]);
          } else if (scopes === null) {
            expect([where, answer.status, answer.headers.get('www-authenticate')]).toEqual([where, 401, 'Bearer realm="journeyline"']);
            expect(answer.body.errors[0].field).toBe('authorization');
          } else if (needs !== 'signed-in' && !scopes.includes(needs) && !scopes.includes('admin')) {
            expect([where, answer.status]).toEqual([where, 403]);
            expect(answer.body.message).toContain(`needs ${needs}`);
          } else {
            expect([where, [401, 403].includes(answer.status)]).toEqual([where, false]);
          }
          seen.push(`${route.method} ${route.url}`);
        }
      }
      expect(new Set(seen).size).toBe(Object.keys(NEEDS).length);
      // hundreds of requests, each wrong chosen key checked by scrypt: more than jest's default 5 s on a busy machine
    }, 60_000);

    it('a refusal says nothing about whether a customer exists', async () => {
      for (const headers of [{ authorization: '' }, bearer('jlk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), bearer(keys.ingest)]) {
        const known = await http(running(), 'GET', '/api/v1/customers/c-matrix/journey', undefined, headers);
        const unknown = await http(running(), 'GET', '/api/v1/customers/nobody-at-all/journey', undefined, headers);
        expect([known.status, known.text]).toEqual([unknown.status, unknown.text]);
        expect([401, 403]).toContain(known.status);
      }
    });
  });

  describe('keys over HTTP and the command line', () => {
    const running = serverForSuite();

    it('a key is shown once, listed without secret or hash, rotated and revoked; each step is in the audit trail', async () => {
      const made = await makeKey(running(), ['read'], 'analyst');
      expect(made.key).toMatch(/^jlk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, bearer(made.key))).status).toBe(200);
      expect((await http(running(), 'POST', '/api/v1/events', event('c-1'), bearer(made.key))).status).toBe(403);

      const list = await http(running(), 'GET', '/api/v1/keys');
      expect(list.text).not.toContain(made.key);
      expect(list.text).not.toContain('sha256');
      expect(list.text).not.toContain('scrypt');
      expect(list.body.items.find((k: { id: string }) => k.id === made.id)).toMatchObject({
        name: 'analyst',
        scopes: ['read'],
        revokedAt: null,
        origin: 'api',
      });

      const rotated = await http(running(), 'POST', `/api/v1/keys/${made.id}/rotate`);
      expect(rotated.status).toBe(201);
      expect(rotated.body).toMatchObject({ name: 'analyst', scopes: ['read'] });
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, bearer(made.key))).status).toBe(401);
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, bearer(rotated.body.key))).status).toBe(200);

      const revoked = await http(running(), 'DELETE', `/api/v1/keys/${rotated.body.id}`);
      expect(revoked.body).toMatchObject({ id: rotated.body.id, revokedBy: { name: 'first admin key' } });
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, bearer(rotated.body.key))).status).toBe(401);
      expect((await http(running(), 'DELETE', `/api/v1/keys/${rotated.body.id}`)).status).toBe(400);
      expect((await http(running(), 'DELETE', '/api/v1/keys/0123456789abcdef')).status).toBe(404);

      const audit = await http(running(), 'GET', '/api/v1/audit?limit=3');
      expect(audit.body.items.map((e: { action: string; subject: string }) => [e.action, e.subject])).toEqual([
        ['key.revoked', rotated.body.id],
        ['key.rotated', made.id],
        ['key.created', made.id],
      ]);
      expect(audit.body.nextCursor).toEqual(expect.any(String));
      const older = await http(running(), 'GET', `/api/v1/audit?limit=100&cursor=${audit.body.nextCursor}`);
      expect(older.body.items.map((e: { action: string }) => e.action)).toEqual(['key.created']);
      expect(older.body.nextCursor).toBeUndefined();
    });

    it('bad key requests are 400s naming the field', async () => {
      for (const [body, field] of [
        [{ name: 'x', scopes: ['root'] }, 'scopes'],
        [{ name: 'x', scopes: [] }, 'scopes'],
        [{ name: '', scopes: ['read'] }, 'name'],
        [{ name: 'x', scopes: ['read'], extra: 1 }, 'extra'],
      ] as const) {
        const answer = await http(running(), 'POST', '/api/v1/keys', body);
        expect([JSON.stringify(body), answer.status, answer.body.errors.map((e: { field: string }) => e.field)]).toEqual([JSON.stringify(body), 400, [field]]);
      }
      // a missing field is one error that says so, not one per rule its value would have to meet
      const empty = await http(running(), 'POST', '/api/v1/keys', {});
      expect(empty.body.errors).toEqual([
        { field: 'name', reason: expect.stringMatching(/^name is required: /) },
        { field: 'scopes', reason: expect.stringMatching(/^scopes is required: /) },
      ]);
      expect(empty.body.errors[1].reason).not.toContain('should not be empty');
      const unknownNull = await http(running(), 'POST', '/api/v1/keys', { name: 'x', scopes: ['read'], extra: null });
      expect([unknownNull.status, unknownNull.body.errors]).toEqual([400, [{ field: 'extra', reason: 'unknown parameter extra' }]]);
    });

    it('journeyline keys create, list, rotate and revoke work on the store the server uses', async () => {
      const dataDir = running().dataDir;
      const key = (await runCli(dataDir, 'keys', 'create', '--name', 'crm sync', '--scopes', 'ingest')).trim();
      expect(key).toMatch(/^jlk_/);
      expect((await http(running(), 'POST', '/api/v1/events', event('c-cli'), bearer(key))).status).toBe(200);
      const listed = await runCli(dataDir, 'keys', 'list');
      const id = key.slice(4, 20);
      expect(listed).toContain(`${id}  crm sync  [ingest]  active`);
      expect(listed).not.toContain(key);
      const rotated = (await runCli(dataDir, 'keys', 'rotate', id)).trim();
      await waitForStatus(running(), bearer(key), 401);
      expect((await http(running(), 'POST', '/api/v1/events', event('c-cli'), bearer(rotated))).status).toBe(200);
      expect(await runCli(dataDir, 'keys', 'revoke', rotated.slice(4, 20))).toContain('revoked');
      await waitForStatus(running(), bearer(rotated), 401);
      await expect(runCli(dataDir, 'keys', 'create', '--name', 'x', '--scopes', 'superuser')).rejects.toThrow(/scopes/);
    });
  });

  describe('the dashboard session', () => {
    const running = serverForSuite();

    it('a key becomes an HttpOnly, SameSite=Strict cookie; changes need the request header; revoking the key ends the session', async () => {
      const admin = await makeKey(running(), ['admin'], 'Lan (CX team)');
      const signIn = await http(running(), 'POST', '/api/v1/session', { key: admin.key }, { authorization: '' });
      expect(signIn.status).toBe(200);
      expect(signIn.body).toMatchObject({ keyId: admin.id, name: 'Lan (CX team)', scopes: ['admin'], via: 'session' });
      expect(signIn.text).not.toContain(admin.key);
      const setCookie = signIn.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(/^jl_session=[^;]+;/);
      expect(setCookie).toMatch(/HttpOnly/i);
      expect(setCookie).toMatch(/SameSite=Strict/i);
      expect(setCookie).toMatch(/Path=\//);
      expect(setCookie).not.toContain(admin.key);
      const cookie = setCookie.split(';')[0];

      const asSession = { authorization: '', cookie };
      expect((await http(running(), 'GET', '/api/v1/session', undefined, asSession)).body).toMatchObject({ keyId: admin.id, via: 'session' });
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, asSession)).status).toBe(200);
      const noHeader = await http(running(), 'POST', '/api/v1/keys', { name: 'x', scopes: ['read'] }, asSession);
      expect([noHeader.status, noHeader.body.errors[0].field]).toEqual([403, 'x-journeyline-request']);
      expect((await http(running(), 'POST', '/api/v1/keys', { name: 'x', scopes: ['read'] }, { ...asSession, 'x-journeyline-request': '1' })).status).toBe(201);

      expect(
        (await http(running(), 'POST', '/api/v1/session', { key: 'jlk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }, { authorization: '' }))
          .status,
      ).toBe(401);
      const forged = `${cookie.slice(0, -3)}abc`;
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, { authorization: '', cookie: forged })).status).toBe(401);

      expect((await http(running(), 'DELETE', `/api/v1/keys/${admin.id}`)).status).toBe(200);
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, asSession)).status).toBe(401);
      const signOut = await http(running(), 'DELETE', '/api/v1/session', undefined, asSession);
      expect(signOut.headers.get('set-cookie')).toMatch(/jl_session=;/);
      const audit = await http(running(), 'GET', '/api/v1/audit?limit=100');
      expect(audit.body.items.some((e: { action: string; subject: string }) => e.action === 'session.started' && e.subject === admin.id)).toBe(true);
    });
  });

  describe('limits', () => {
    let server: RunningServer;
    afterEach(async () => server?.stop());

    it('ingestion over its per-key limit is a 429 with Retry-After; other keys go on', async () => {
      server = await startServer({ JOURNEYLINE_RATE_LIMIT_INGEST_PER_KEY: '3' });
      const other = await makeKey(server, ['ingest']);
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await http(server, 'POST', '/api/v1/events', event(`c-${i}`))).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const refused = await http(server, 'POST', '/api/v1/events', event('c-9'));
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(refused.body.errors[0].reason).toMatch(/too many requests/);
      expect((await http(server, 'POST', '/api/v1/events', event('c-other'), bearer(other.key))).status).toBe(200);
      expect((await http(server, 'GET', '/api/v1/customers')).status).toBe(200);
    });

    it('ingestion over its per-address limit is a 429 with Retry-After whatever the key; another address goes on', async () => {
      server = await startServer({ JOURNEYLINE_RATE_LIMIT_INGEST_PER_ADDRESS: '3' });
      const other = await makeKey(server, ['ingest']);
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await http(server, 'POST', '/api/v1/events', event(`c-${i}`))).status);
      // another key from the same address, and (no proxy trusted) a forged X-Forwarded-For, count against the same address
      const refused = await http(server, 'POST', '/api/v1/events', event('c-3'), bearer(other.key));
      statuses.push(refused.status, (await http(server, 'POST', '/api/v1/events', event('c-4'), { 'x-forwarded-for': '203.0.113.7' })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(refused.body.errors[0].reason).toMatch(/too many requests from this key or address/);
      expect((await http(server, 'GET', '/api/v1/customers')).status).toBe(200);
      await server.stop();

      // behind a trusted proxy the address is the client's (X-Forwarded-For): each client has a count of its own
      server = await startServer({ JOURNEYLINE_RATE_LIMIT_INGEST_PER_ADDRESS: '2', JOURNEYLINE_TRUST_PROXY: '1' });
      const from = (address: string) => ({ 'x-forwarded-for': address });
      const perClient = [];
      for (const address of ['203.0.113.7', '203.0.113.7', '203.0.113.7', '198.51.100.20']) {
        perClient.push((await http(server, 'POST', '/api/v1/events', event(`c-${perClient.length}`), from(address))).status);
      }
      expect(perClient).toEqual([200, 200, 429, 200]);
    });

    it('an address that keeps failing to sign in is stopped with 429, while a valid key from it still works', async () => {
      server = await startServer({ JOURNEYLINE_RATE_LIMIT_AUTH_FAILURES: '3' });
      const reader = await makeKey(server, ['read']);
      const wrong = bearer('jlk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await http(server, 'GET', '/api/v1/customers', undefined, wrong)).status);
      expect(statuses).toEqual([401, 401, 429, 429, 429]);
      expect((await http(server, 'POST', '/api/v1/session', { key: 'still-wrong-still-wrong-still-wrong' }, { authorization: '' })).status).toBe(429);
      expect((await http(server, 'GET', '/api/v1/customers', undefined, bearer(reader.key))).status).toBe(200);
      // a chosen key matched before still passes; one never matched costs a slow check, which a blocked address does not get
      expect((await http(server, 'GET', '/api/v1/customers')).status).toBe(200);
    });

    it('public routes are limited per address', async () => {
      server = await startServer({ JOURNEYLINE_RATE_LIMIT_PUBLIC_PER_ADDRESS: '2' });
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await http(server, 'POST', '/api/v1/session', { key: TEST_ADMIN_KEY }, { authorization: '' })).status);
      expect(statuses).toEqual([200, 200, 429]);
    });
  });

  describe('hosts, origins and headers', () => {
    let server: RunningServer;
    afterEach(async () => server?.stop());

    it('a request naming another host is refused (DNS rebinding); /health answers any host', async () => {
      server = await startServer();
      const evil = await rawRequest(server, '/api/v1/customers', { host: 'evil.example', ...bearer() });
      expect(evil.status).toBe(403);
      expect(JSON.parse(evil.body).errors[0].field).toBe('host');
      expect((await rawRequest(server, '/', { host: 'rebound.attacker.test' })).status).toBe(403);
      expect((await rawRequest(server, '/health', { host: 'lb.internal' })).status).toBe(200);
      expect((await rawRequest(server, '/api/v1/customers', { host: `localhost:${new URL(server.url).port}`, ...bearer() })).status).toBe(200);
      await server.stop();
      server = await startServer({ JOURNEYLINE_ALLOWED_HOSTS: 'cx.example.com' });
      expect((await rawRequest(server, '/api/v1/customers', { host: 'cx.example.com', ...bearer() })).status).toBe(200);
      expect((await rawRequest(server, '/api/v1/customers', { host: '127.0.0.1', ...bearer() })).status).toBe(403);
    });

    it('CORS is closed by default (a preflight is a 403 naming the origin) and opens for configured origins only', async () => {
      server = await startServer();
      const preflight = {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      };
      const refused = await http(server, 'OPTIONS', '/api/v1/events', undefined, preflight);
      expect([refused.status, refused.body.errors[0].field, refused.headers.get('access-control-allow-origin')]).toEqual([403, 'origin', null]);
      const simple = await http(server, 'GET', '/api/v1/customers', undefined, { origin: 'https://evil.example' });
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
      await server.stop();
      server = await startServer({ JOURNEYLINE_CORS_ORIGINS: 'https://cx.example.com' });
      const allowed = await http(server, 'OPTIONS', '/api/v1/events', undefined, { ...preflight, origin: 'https://cx.example.com' });
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe('https://cx.example.com');
      expect(allowed.headers.get('access-control-allow-headers')).toContain('authorization');
      expect((await http(server, 'OPTIONS', '/api/v1/events', undefined, preflight)).status).toBe(403);
    });

    it('pages and answers carry a CSP without inline scripts, no framing, and the usual headers', async () => {
      server = await startServer();
      for (const path of ['/', '/api/v1/customers', '/health']) {
        const answer = await http(server, 'GET', path);
        const csp = answer.headers.get('content-security-policy') ?? '';
        expect(csp).toContain("script-src 'self'");
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).toContain("object-src 'none'");
        expect(answer.headers.get('x-frame-options')).toBe('DENY');
        expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
        expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
      }
    });
  });

  describe('keys from the configuration', () => {
    let server: RunningServer;
    afterEach(async () => server?.stop());

    it('JOURNEYLINE_SEGMENT_WRITE_KEY is an ingest key, also as the basic-auth user name as Segment sends it', async () => {
      const writeKey = 'segment-write-key-0123456789abcdef';
      server = await startServer({ JOURNEYLINE_SEGMENT_WRITE_KEY: writeKey });
      const basic = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
      expect((await http(server, 'POST', '/api/v1/events', event('c-seg'), basic)).status).toBe(200);
      expect((await http(server, 'POST', '/api/v1/events', event('c-seg-2'), bearer(writeKey))).status).toBe(200);
      expect((await http(server, 'GET', '/api/v1/customers', undefined, basic)).status).toBe(403);
      expect((await http(server, 'GET', '/api/v1/keys')).body.items.map((k: { name: string }) => k.name)).toEqual(['first admin key']);
    });

    it('a store without keys gets one admin key at its first start, and only then', async () => {
      const dataDir = tempDataDir();
      server = await startServer({ JOURNEYLINE_ADMIN_KEY: '' }, dataDir);
      const made = server.app.get(FirstAdminKey).created;
      expect(made?.key).toMatch(/^jlk_/);
      expect((await http(server, 'GET', '/api/v1/keys', undefined, bearer(made!.key))).body.items).toEqual([
        expect.objectContaining({ id: made!.id, scopes: ['admin'], origin: 'first-start' }),
      ]);
      expect((await http(server, 'GET', '/api/v1/customers')).status).toBe(401);
      await server.stop();
      server = await startServer({ JOURNEYLINE_ADMIN_KEY: '' }, dataDir);
      expect(server.app.get(FirstAdminKey).created).toBeNull();
      expect((await http(server, 'GET', '/api/v1/keys', undefined, bearer(made!.key))).body.items).toHaveLength(1);
    });

    it('the server process prints a generated admin key and its sign-in link at the first start, and not at the next', async () => {
      const dataDir = tempDataDir();
      const port = await freePort();
      let child: ServerProcess | null = await startServerProcess(port, dataDir, { JOURNEYLINE_ADMIN_KEY: '' });
      try {
        await waitFor(() => child!.tail(400).includes('/#key=jlk_'));
        const firstOutput = child.tail(400);
        const key = /^\[stderr\] {3}(jlk_\S+)$/m.exec(firstOutput)?.[1] ?? '';
        expect(key).toMatch(/^jlk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
        // the key alone on a line, then the sign-in link; in no log line
        expect(firstOutput.split('\n').filter((line) => line.includes(key))).toEqual([
          `[stderr]   ${key}`,
          `[stderr] Open the dashboard signed in (the key stays in your browser, not in the address): http://127.0.0.1:${port}/#key=${key}`,
        ]);
        const keys = await fetch(`${child.url}/api/v1/keys`, { headers: bearer(key) });
        expect(keys.status).toBe(200);
        child.kill('SIGTERM');
        await child.exited;

        child = await startServerProcess(port, dataDir, { JOURNEYLINE_ADMIN_KEY: '' });
        await waitFor(() => child!.tail(400).includes('"msg":"listening"'));
        // the key would be printed right after the listening line (on stderr, another pipe): give it time to arrive
        await new Promise((resolve) => setTimeout(resolve, 500));
        const secondOutput = child.tail(400);
        expect(secondOutput).not.toContain('an admin key was made');
        expect(secondOutput).not.toContain('jlk_');
        expect((await fetch(`${child.url}/api/v1/keys`, { headers: bearer(key) })).status).toBe(200);
      } finally {
        child?.kill('SIGTERM');
        await child?.exited;
      }
    }, 120_000);

    it('a chosen key that is too short is refused at start, by name', () => {
      expect(() => loadConfig({ JOURNEYLINE_ADMIN_KEY: 'short' })).toThrow(ConfigError);
      expect(() => loadConfig({ JOURNEYLINE_ADMIN_KEY: 'short' })).toThrow(/JOURNEYLINE_ADMIN_KEY must be at least 24 characters/);
      expect(() => loadConfig({ JOURNEYLINE_MASTER_KEY: 'abcd' })).toThrow(/JOURNEYLINE_MASTER_KEY must be 32 bytes/);
      expect(() => loadConfig({ JOURNEYLINE_CORS_ORIGINS: 'https://a.example/path' })).toThrow(/JOURNEYLINE_CORS_ORIGINS/);
    });
  });
});

/** Polls until a request with `headers` answers `status` (another process's change reaches this one within a second). */
async function waitForStatus(server: RunningServer, headers: Record<string, string>, status: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const answer = await http(server, 'GET', '/api/v1/customers', undefined, headers);
    if (answer.status === status) return;
    if (Date.now() > deadline) throw new Error(`expected ${status}, still ${answer.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A request with a Host header of our choosing (fetch does not let a client set Host). */
async function rawRequest(server: RunningServer, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
