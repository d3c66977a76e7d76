import * as fs from 'node:fs';
import { request } from 'node:http';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import * as zlib from 'node:zlib';
import { createLog, loadConfig } from '@journeyline/platform';
import { dashboardDir } from '../apps/server/src/dashboard/dashboard-assets';
import { createServer } from '../apps/server/src/server';
import { ensureDashboardBuilt } from './support/dashboard-build';
import { bearer, http, postAll, serverForSuite, settled, tempDataDir, TEST_ADMIN_KEY, type RunningServer } from './support/running-server';

/**
 * Running the server in production: Prometheus series at GET /metrics (a `read` key), the
 * liveness probe, the behind header on read answers, compression of JSON, dashboard files and
 * streamed exports (Segment's gzipped request bodies still inflated by their own parser), and one
 * access-log line per request that never holds a key or a query value.
 */

/** A GET over a raw socket, so the body is seen as sent (fetch would inflate it). */
function rawGet(
  server: RunningServer,
  pathname: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const { port } = new URL(server.url);
    const req = request({ host: '127.0.0.1', port, path: pathname, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The value of one series in the Prometheus text, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const visit = (customerId: string, touchpoint = 'web:pricing') => ({
  type: 'touchpoint.visited',
  customerId,
  occurredAt: '2026-11-20T09:00:00+07:00',
  data: { touchpoint, channel: 'web', stage: 'evaluation' },
});

describe('operations (e2e)', () => {
  beforeAll(() => ensureDashboardBuilt());

  describe('metrics, probes, compression and the behind header', () => {
    const running = serverForSuite();

    beforeAll(async () => {
      await postAll(
        running(),
        Array.from({ length: 120 }, (_, i) => visit(`c-ops-${i % 40}`, `web:page-${i % 7}`)),
      );
      await settled(running());
    });

    it('GET /metrics needs a read key and serves requests per route pattern, appends, projection lag and churn-rule runs', async () => {
      expect((await http(running(), 'GET', '/metrics', undefined, { authorization: '' })).status).toBe(401);
      const ingest = await http(running(), 'POST', '/api/v1/keys', { name: 'writer', scopes: ['ingest'] });
      expect((await http(running(), 'GET', '/metrics', undefined, bearer(ingest.body.key))).status).toBe(403);
      const reader = await http(running(), 'POST', '/api/v1/keys', { name: 'prometheus', scopes: ['read'] });
      await settled(running()); // the keys' events are in the log too: the projections pass over them

      for (const id of ['c-ops-1', 'c-ops-2', 'c-ops-3']) expect((await http(running(), 'GET', `/api/v1/customers/${id}/journey`)).status).toBe(200);
      expect((await http(running(), 'GET', '/api/v1/customers/nobody/journey')).status).toBe(404);
      const scrape = await http(running(), 'GET', '/metrics', undefined, bearer(reader.body.key));
      expect(scrape.status).toBe(200);
      expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = scrape.text;
      const journey = { method: 'GET', route: '/api/v1/customers/:id/journey' };
      expect(sample(text, 'journeyline_http_request_duration_seconds_count', { ...journey, status: '200' })).toBe(3);
      expect(sample(text, 'journeyline_http_request_duration_seconds_count', { ...journey, status: '404' })).toBe(1);
      expect(sample(text, 'journeyline_http_request_duration_seconds_bucket', { ...journey, status: '200', le: '+Inf' })).toBe(3);
      expect(text).not.toContain('c-ops-1');
      expect(text).toContain('app="journeyline"');
      expect(sample(text, 'journeyline_events_appended_total', { source: 'http' })).toBe(120);
      expect(sample(text, 'journeyline_projection_lag_events', { projection: 'journey-map' })).toBe(0);
      expect(sample(text, 'journeyline_projection_lag_events', { projection: 'churn-risk-process' })).toEqual(expect.any(Number));
      expect(sample(text, 'journeyline_churn_rule_runs_total', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'journeyline_churn_rule_runs_total', { outcome: 'failed' })).toBe(0);
      expect(sample(text, 'journeyline_churn_rule_customers_evaluated_total')).toBeGreaterThanOrEqual(40);
      expect(text).toMatch(/^journeyline_process_resident_memory_bytes\{app="journeyline"\} \d+/m);
    });

    it('GET /metrics renders at most once a second: scrapes at once share one text, a later one counts what came between', async () => {
      const reader = await http(running(), 'POST', '/api/v1/keys', { name: 'scraper', scopes: ['read'] });
      const scrape = () => http(running(), 'GET', '/metrics', undefined, bearer(reader.body.key));
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past any earlier test's scrape
      const together = await Promise.all(Array.from({ length: 20 }, scrape));
      expect(new Set(together.map((s) => s.text)).size).toBe(1);
      const journey = { method: 'GET', route: '/api/v1/customers/:id/journey', status: '200' };
      const before = sample(together[0].text, 'journeyline_http_request_duration_seconds_count', journey) ?? 0;
      expect((await http(running(), 'GET', '/api/v1/customers/c-ops-4/journey')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(sample((await scrape()).text, 'journeyline_http_request_duration_seconds_count', journey)).toBe(before + 1);
    });

    it('GET /health/live answers 200 without a key, from any host; /health/ready is 200 once caught up', async () => {
      expect((await http(running(), 'GET', '/health/live', undefined, { authorization: '', host: 'lb.internal' })).body).toEqual({ status: 'live' });
      const ready = await http(running(), 'GET', '/health/ready', undefined, { authorization: '' });
      expect([ready.status, ready.body.status]).toEqual([200, 'ready']);
      expect(ready.body.projections.find((p: { name: string }) => p.name === 'journey-map')).toEqual({
        name: 'journey-map',
        position: ready.body.head,
        head: ready.body.head,
        behind: 0,
      });
    });

    it('read answers say how far behind they are; writes, health and metrics do not', async () => {
      const list = await http(running(), 'GET', '/api/v1/customers?limit=3');
      expect(list.headers.get('x-journeyline-behind')).toBe('0');
      expect((await http(running(), 'GET', '/api/v1/metrics?metric=nps&by=touchpoint')).headers.get('x-journeyline-behind')).toBe('0');
      expect((await http(running(), 'POST', '/api/v1/events', visit('c-ops-w'))).headers.get('x-journeyline-behind')).toBeNull();
      expect((await http(running(), 'GET', '/health')).headers.get('x-journeyline-behind')).toBeNull();
      // refused before the query: no header (nothing is said to a caller without a key)
      expect((await http(running(), 'GET', '/api/v1/customers', undefined, { authorization: '' })).headers.get('x-journeyline-behind')).toBeNull();
    });

    it('JSON, dashboard files and streamed exports are compressed when asked (gzip, br) and decode to the same bytes; small answers are not', async () => {
      const auth = { authorization: `Bearer ${TEST_ADMIN_KEY}` };
      const plain = await rawGet(running(), '/api/v1/customers?limit=100', auth);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.length).toBeGreaterThan(1024);
      const gzipped = await rawGet(running(), '/api/v1/customers?limit=100', { ...auth, 'accept-encoding': 'gzip' });
      expect([gzipped.status, gzipped.headers['content-encoding'], gzipped.headers.vary]).toEqual([200, 'gzip', expect.stringMatching(/accept-encoding/i)]);
      expect(gzipped.body.length).toBeLessThan(plain.body.length / 2);
      expect(JSON.parse(zlib.gunzipSync(gzipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
      const brotli = await rawGet(running(), '/api/v1/customers?limit=100', { ...auth, 'accept-encoding': 'br' });
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(zlib.brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);

      // a dashboard script
      const assets = fs.readdirSync(path.join(dashboardDir(), 'assets')).filter((f) => f.endsWith('.js'));
      const script = `/assets/${assets[0]}`;
      const asset = await rawGet(running(), script, { 'accept-encoding': 'gzip, deflate, br' });
      expect([asset.status, asset.headers['content-encoding']]).toEqual([200, 'br']);
      expect(zlib.brotliDecompressSync(asset.body).equals(fs.readFileSync(path.join(dashboardDir(), 'assets', assets[0])))).toBe(true);

      // the streamed export
      const exportPlain = await rawGet(running(), '/api/v1/export?kind=events&format=ndjson', auth);
      const exportGzip = await rawGet(running(), '/api/v1/export?kind=events&format=ndjson', { ...auth, 'accept-encoding': 'gzip' });
      expect(exportGzip.headers['content-encoding']).toBe('gzip');
      expect(exportGzip.headers['content-disposition']).toEqual(exportPlain.headers['content-disposition']);
      const lines = zlib.gunzipSync(exportGzip.body).toString('utf8').trim().split('\n');
      expect(lines.length).toBeGreaterThanOrEqual(120);
      expect(lines).toEqual(exportPlain.body.toString('utf8').trim().split('\n'));

      // under the threshold: as it is
      const small = await rawGet(running(), '/health/live', { 'accept-encoding': 'gzip' });
      expect(small.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(small.body.toString('utf8'))).toEqual({ status: 'live' });
    });

    it('a gzipped Segment body is still inflated by its own capped parser (a zip bomb is a 413); no other route inflates bodies', async () => {
      const body = zlib.gzipSync(
        JSON.stringify({
          batch: [{ type: 'track', userId: 'c-ops-gz', event: 'Product Viewed', messageId: 'm-ops-gz-1', properties: { stage: 'evaluation' } }],
        }),
      );
      const answer = await fetch(`${running().url}/v1/batch`, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json', 'content-encoding': 'gzip', 'accept-encoding': 'gzip' },
        body,
      });
      expect([answer.status, await answer.json()]).toEqual([200, expect.objectContaining({ success: true, stored: 1 })]);
      const bomb = zlib.gzipSync(Buffer.alloc(running().config.bodyLimit + 1, 0x20));
      const refused = await fetch(`${running().url}/v1/batch`, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: bomb,
      });
      expect(refused.status).toBe(413);
      // a gzipped body where the API takes plain JSON is not inflated by anyone
      const elsewhere = await fetch(`${running().url}/api/v1/events`, {
        method: 'POST',
        headers: { ...bearer(), 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: zlib.gzipSync(JSON.stringify(visit('c-ops-gz-2'))),
      });
      expect(elsewhere.status).toBe(400);
    });
  });

  it('one access-log line per request: method, route pattern, status, ms, bytes; never the key or a query value', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line));
        callback();
      },
    });
    const dataDir = tempDataDir();
    const config = loadConfig({ PORT: '0', JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_ADMIN_KEY: TEST_ADMIN_KEY });
    const app = await createServer(config, createLog({ app: 'journeyline', format: 'json', destination }));
    await app.listen(0, '127.0.0.1');
    const server: RunningServer = {
      url: `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`,
      dataDir,
      config,
      app,
      stop: () => app.close(),
    };
    try {
      await http(server, 'POST', '/api/v1/events', visit('c-secret-person'));
      await http(server, 'GET', '/api/v1/customers?q=nguyen.van.a%40example.com&limit=5');
      await http(server, 'GET', '/api/v1/customers/c-secret-person/journey');
      await http(server, 'GET', '/no/such/page/c-secret-person.png');
      await http(server, 'GET', '/api/v1/customers', undefined, { authorization: 'Bearer jlk_0000000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro' });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const access = lines.filter((l) => l.component === 'http' && l.msg === 'request');
      expect(access.map((l) => [l.method, l.route, l.status])).toEqual([
        ['POST', '/api/v1/events', 200],
        ['GET', '/api/v1/customers', 200],
        ['GET', '/api/v1/customers/:id/journey', 200],
        ['GET', '/*', 404],
        ['GET', '/api/v1/customers', 401],
      ]);
      for (const line of access) {
        expect(line).toEqual(
          expect.objectContaining({ level: 'info', app: 'journeyline', reqId: expect.any(String), ms: expect.any(Number), bytes: expect.any(Number) }),
        );
        expect(line.bytes as number).toBeGreaterThan(0);
      }
      const all = JSON.stringify(lines);
      for (const secret of [TEST_ADMIN_KEY, 'wrongwrong', 'c-secret-person', 'nguyen', 'example.com'])
        expect([secret, all.includes(secret)]).toEqual([secret, false]);
    } finally {
      await server.stop();
    }
  });
});
