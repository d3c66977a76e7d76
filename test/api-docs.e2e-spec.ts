import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REQUEST_EXAMPLES } from '../apps/server/src/docs/request-examples';
import { registeredRoutes } from '../apps/server/src/server';
import { chromiumAvailable, CHROMIUM_PATH, launchBrowser } from './support/browser';
import { http, serverForSuite } from './support/running-server';

/**
 * The OpenAPI document (GET /api/docs-json) against the router it describes: every route with its
 * method (generated from the router, so a new route cannot be left out), valid OpenAPI 3 by a
 * validator of its own, who may call each route as the guard decides it, an example for every
 * query and body that the server takes; and the browsable page (GET /api/docs) in Chromium under
 * the server's Content-Security-Policy.
 */

/** Router routes the document leaves out, and why. */
const UNDOCUMENTED: Record<string, string> = { 'GET /*': 'the dashboard’s pages, not an API' };

type Operation = {
  operationId: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; example?: unknown }[];
  requestBody?: { content: Record<string, { example?: unknown; schema?: unknown }> };
  'x-journeyline-scope'?: string;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, { scheme: string }> } };

const inBrowser = chromiumAvailable() || Boolean(process.env.CI);

const asOpenApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

describe('the API document (e2e)', () => {
  const running = serverForSuite();
  let document: Document;

  beforeAll(async () => {
    const answer = await http(running(), 'GET', '/api/docs-json', undefined, { authorization: '' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    document = answer.body;
  });

  it('lists every route of the router with its method, and nothing else', () => {
    const routes = registeredRoutes(running().app).filter((r) => r.method !== 'OPTIONS' && !(`${r.method} ${r.url}` in UNDOCUMENTED));
    expect(routes.length).toBeGreaterThan(60);
    const missing = routes.filter((r) => !document.paths[asOpenApiPath(r.url)]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const known = new Set(routes.map((r) => `${r.method.toLowerCase()} ${asOpenApiPath(r.url)}`));
    const phantom = Object.entries(document.paths)
      .flatMap(([p, item]) => Object.keys(item).map((verb) => `${verb} ${p}`))
      .filter((op) => !known.has(op));
    expect(phantom).toEqual([]);
  });

  it('is valid OpenAPI 3 (@seriousme/openapi-schema-validator)', () => {
    const validated = spawnSync(process.execPath, [path.join(__dirname, 'support', 'validate-openapi.mjs')], {
      input: JSON.stringify(document),
      encoding: 'utf8',
    });
    expect(validated.stderr).toBe('');
    const result = JSON.parse(validated.stdout);
    expect(result).toEqual({ valid: true, version: '3.0', errors: [] });
    // the validator does refuse a broken document: an operation without its responses
    const broken = JSON.parse(JSON.stringify(document)) as Document;
    (broken.paths['/api/v1/customers/{id}/journey'].get as { responses?: unknown }).responses = undefined;
    const refused = JSON.parse(
      spawnSync(process.execPath, [path.join(__dirname, 'support', 'validate-openapi.mjs')], { input: JSON.stringify(broken), encoding: 'utf8' }).stdout,
    );
    expect(refused.valid).toBe(false);
  });

  it('names the auth schemes, and who may call each route as the guard decides it', () => {
    expect(document.components.securitySchemes).toMatchObject({
      apiKey: { type: 'http', scheme: 'bearer' },
      segmentWriteKey: { type: 'http', scheme: 'basic' },
    });
    const op = (verb: string, p: string) => document.paths[p][verb];
    expect(op('get', '/api/v1/customers')).toMatchObject({ security: [{ apiKey: [] }], 'x-journeyline-scope': 'read' });
    expect(op('post', '/api/v1/events/batch')).toMatchObject({ security: [{ apiKey: [] }], 'x-journeyline-scope': 'ingest' });
    expect(op('post', '/api/v1/keys')['x-journeyline-scope']).toBe('admin');
    expect(op('post', '/v1/batch').security).toEqual([{ apiKey: [] }, { segmentWriteKey: [] }]);
    for (const p of ['/health', '/health/live', '/health/ready', '/api/docs', '/api/docs-json', '/s/{token}'])
      expect([p, op('get', p).security]).toEqual([p, []]);
    expect(op('get', '/metrics')['x-journeyline-scope']).toBe('read');
  });

  it('takes its query parameters and bodies from the DTOs: names, required, enums, bounds', () => {
    const metrics = document.paths['/api/v1/metrics'].get.parameters!;
    expect(metrics.find((p) => p.name === 'metric')).toMatchObject({
      in: 'query',
      required: true,
      schema: { type: 'string', enum: expect.arrayContaining(['nps', 'csat', 'ces', 'ttr']) },
    });
    expect(metrics.find((p) => p.name === 'minSample')).toMatchObject({ required: false, schema: { type: 'integer', minimum: 1 } });
    expect(document.paths['/api/v1/customers/{id}/journey'].get.parameters!.find((p) => p.name === 'id')).toMatchObject({ in: 'path', required: true });
    const schemas = (document.components as unknown as { schemas: Record<string, { required?: string[]; properties: Record<string, unknown> }> }).schemas;
    expect(schemas.CreateKeyRequestDto).toMatchObject({ required: ['name', 'scopes'], properties: { scopes: { type: 'array' } } });
    expect(schemas.WireEvent.required).toEqual(expect.arrayContaining(['type', 'customerId']));
  });

  it('has an example for every query and body, naming only what the route takes; the server refuses none of them with 400', async () => {
    const lacking: string[] = [];
    const strays: string[] = [];
    const refused: string[] = [];
    for (const [openApiPath, item] of Object.entries(document.paths)) {
      for (const [verb, operation] of Object.entries(item)) {
        const route = `${verb.toUpperCase()} ${openApiPath.replace(/\{(\w+)\}/g, ':$1')}`;
        const query = (operation.parameters ?? []).filter((p) => p.in === 'query');
        const example = REQUEST_EXAMPLES[route];
        const body = operation.requestBody ? Object.entries(operation.requestBody.content)[0] : undefined;
        if (query.length > 0 && !query.some((p) => p.example !== undefined)) lacking.push(`${route}: query`);
        if (body && body[1].example === undefined) lacking.push(`${route}: body`);
        for (const name of Object.keys(example?.query ?? {})) if (!query.some((p) => p.name === name)) strays.push(`${route}: ?${name}`);
        for (const name of Object.keys(example?.path ?? {})) if (!openApiPath.includes(`{${name}}`)) strays.push(`${route}: :${name}`);
        if (query.length === 0 && !body) continue;
        // the example as a client would send it: a 400 (or 415) means the document shows a request the server refuses
        const url =
          openApiPath.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(example?.path?.[name] ?? 'example'))) +
          (example?.query ? `?${new URLSearchParams(Object.entries(example.query).map(([k, v]): [string, string] => [k, String(v)]))}` : '');
        const [contentType, media] = body ?? ['application/json', {}];
        const payload =
          body === undefined
            ? undefined
            : contentType === 'application/x-www-form-urlencoded'
              ? new URLSearchParams(media.example as Record<string, string>).toString()
              : media.example;
        const answer = await http(running(), verb.toUpperCase(), url, payload, body ? { 'content-type': contentType } : {});
        if (answer.status === 400 || answer.status === 415) refused.push(`${route} → ${answer.status} ${answer.text.slice(0, 300)}`);
      }
    }
    expect(lacking).toEqual([]);
    expect(strays).toEqual([]);
    expect(refused).toEqual([]);
    expect(Object.keys(REQUEST_EXAMPLES).filter((route) => !registeredRoutes(running().app).some((r) => `${r.method} ${r.url}` === route))).toEqual([]);
  }, 60_000);

  it('is public and browsable at /api/docs under the Content-Security-Policy (no inline script); its files are the named ones only', async () => {
    const page = await http(running(), 'GET', '/api/docs', undefined, { authorization: '' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/<script>(?!<\/script>)|<script[^>]*>[^<]+<\/script>/);
    expect((await http(running(), 'GET', '/api/docs/swagger-ui-bundle.js', undefined, { authorization: '' })).status).toBe(200);
    expect((await http(running(), 'GET', '/api/docs/..%2F..%2Fpackage.json', undefined, { authorization: '' })).status).toBe(404);
  });

  (inBrowser ? it : it.skip)(
    `Swagger UI lists the routes in Chromium, with no console error${inBrowser ? '' : ` (skipped: no Chromium at ${CHROMIUM_PATH})`}`,
    async () => {
      const browser = await launchBrowser();
      try {
        const { page: tab, problems } = await browser.newPage();
        await tab.goto(`${running().url}/api/docs`);
        await tab.waitForSelector('.opblock-summary-path', { timeout: 30_000 });
        const paths = await tab.$$eval('.opblock-summary-path', (nodes) => nodes.map((n) => n.getAttribute('data-path')));
        expect(paths).toEqual(expect.arrayContaining(['/api/v1/events/batch', '/api/v1/customers/{id}/journey', '/metrics', '/health/ready']));
        expect(problems).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
