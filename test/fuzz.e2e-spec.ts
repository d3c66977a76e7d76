/**
 * Property-based fuzzing of every entry point (fast-check, at least 10,000 generated cases each;
 * 2,000 for each route that changes state other than ingestion, and for /v1/track beside /v1/batch):
 * single and batch ingestion over the real app's HTTP pipeline (Fastify's parsers, hooks, Nest's
 * pipes and filters; `inject`, no socket), the Kafka batch function, import lines, and the query
 * strings, path parameters, bodies and credentials of every route the router knows (keys,
 * sessions, erasure and export included). Requests carry the admin key unless the generated
 * credentials say otherwise; the rate limits are raised so the fuzzer measures answers, not 429s. Every answer is below 500,
 * JSON, and a refusal names a field and a reason; a refused request stores nothing; afterwards
 * the server restarts, a rebuild finishes, and /health is ok with nothing parked.
 *
 * FUZZ_SEED picks another seed (the default is fixed, so CI runs the same cases every time);
 * FUZZ_RUNS another number of cases per entry point.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { EVENT_STORE, SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { ingestMessageBatch, type SourceMessage } from '@journeyline/kafka';
import { importFile } from '../apps/cli/src/commands/import.command';
import { isApiPath } from '../apps/server/src/dashboard/dashboard-assets';
import { FirstAdminKey } from '../apps/server/src/access/first-admin-key';
import { registeredRoutes } from '../apps/server/src/server';
import { runCli } from './support/cli';
import { ensureDashboardBuilt } from './support/dashboard-build';
import { edgyNumber, edgyString, jsonText, pathParam, PROTOTYPE_NAMES, queryString, VALID_EVENTS, wireEvent } from './support/fuzz';
import { segmentBatch, segmentMessage } from './support/fuzz-segment';
import { bearer, http, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
/** Appended by the server itself, not by the request: churn-risk flags, keys made and the audit trail. */
const DERIVED_BY_THE_SERVER = new Set([
  'ChurnRiskFlagged',
  'ChurnRiskCleared',
  'FollowUpOpened',
  'FollowUpResolved',
  'ApiKeyCreated',
  'ApiKeyRevoked',
  'key.created',
  'key.rotated',
  'key.revoked',
  'session.started',
  'customer.exported',
]);
/** Routes of the API's prefixes whose answers are not JSON (their refusals are). */
const OTHER_MEDIA = new Set(['GET /metrics', 'GET /api/docs', 'GET /api/docs/:file']);
/**
 * The admin key is one the server makes (jlk_…), not a chosen one: a chosen key would make every
 * generated sign-in attempt of 24 characters or more cost a scrypt check (by design), and the
 * fuzzer would measure scrypt. Set when the server first starts.
 */
let adminKey = '';
const UNLIMITED = {
  JOURNEYLINE_ADMIN_KEY: '',
  JOURNEYLINE_RATE_LIMIT_INGEST_PER_KEY: '100000000',
  JOURNEYLINE_RATE_LIMIT_INGEST_PER_ADDRESS: '100000000',
  JOURNEYLINE_RATE_LIMIT_PUBLIC_PER_ADDRESS: '100000000',
  JOURNEYLINE_RATE_LIMIT_AUTH_FAILURES: '100000000',
};
/** Credentials as a client might send them: mostly the admin key, sometimes anything at all. */
const credentials: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(null).map(() => bearer(adminKey)) },
  { weight: 1, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: edgyString.map((s) => ({ authorization: `Bearer ${s.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '')}` })) },
  { weight: 1, arbitrary: edgyString.map((s) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` })) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ cookie: `jl_session=${encodeURIComponent(s)}` })) },
);

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** Why an answer breaks the contract, or null. */
function problemWith(answer: Answer, jsonExpected: boolean): string | null {
  if (answer.status >= 500) return `status ${answer.status}: ${answer.body.slice(0, 300)}`;
  const type = String(answer.headers['content-type'] ?? '');
  if (!jsonExpected) return null;
  if (!type.startsWith('application/json')) return `status ${answer.status} answered ${type || 'no content type'}: ${answer.body.slice(0, 200)}`;
  let json: { errors?: { field?: unknown; reason?: unknown }[] };
  try {
    json = JSON.parse(answer.body);
  } catch {
    return `status ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`;
  }
  if (answer.status >= 400) {
    const errors = json.errors;
    if (!Array.isArray(errors) || errors.length === 0) return `status ${answer.status} without errors[]: ${answer.body.slice(0, 300)}`;
    if (!errors.every((e) => typeof e.field === 'string' && typeof e.reason === 'string' && e.reason.length > 0))
      return `status ${answer.status} with an error lacking field or reason: ${answer.body.slice(0, 300)}`;
  }
  return null;
}

describe('fuzzing every entry point (e2e, fast-check)', () => {
  const dataDir = tempDataDir('journeyline-fuzz-');
  let server: RunningServer;
  let store: EventStore;
  let counter = 0;
  const unique = () => `fz-${++counter}`;

  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startServer({ JOURNEYLINE_LOG_FORMAT: 'json', ...UNLIMITED }, dataDir);
    adminKey = server.app.get(FirstAdminKey).created!.key;
    store = server.app.get(EVENT_STORE);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function inject(method: string, url: string, payload?: string, headers: Record<string, string> = bearer(adminKey)): Promise<Answer> {
    const response = await server.app.inject({
      method: method as 'GET',
      url,
      payload,
      headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
    // inject ends each fake socket in a setImmediate, and a property's runs chain through promises
    // alone: without a turn of the event loop here, every response (a 200 KB API document, the
    // Prometheus text) stayed queued until the property ended: gigabytes over 10,000 runs
    await new Promise((resolve) => setImmediate(resolve));
    return { status: response.statusCode, headers: response.headers, body: response.body };
  }

  /** A refused request must leave the log as it was (only the server's own churn-risk flags may have been appended meanwhile). */
  async function expectNothingStoredSince(before: number): Promise<string | null> {
    const since = await store.readAll({ after: before, limit: 100 });
    const foreign = since.filter((e) => !DERIVED_BY_THE_SERVER.has(e.type));
    return foreign.length > 0 ? `a refused request stored ${foreign.map((e) => e.eventId).join(', ')}` : null;
  }

  /** `acceptedShare`: the least share of generated requests that must be taken (a Segment batch is taken only whole, so fewer are). */
  async function ingest(url: string, body: fc.Arbitrary<string>, acceptedShare = 1 / 20, runs = RUNS): Promise<void> {
    const counts = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = await store.headPosition();
        const answer = await inject('POST', url, payload);
        const problem = problemWith(answer, true) ?? (answer.status === 200 ? null : await expectNothingStoredSince(before));
        if (answer.status === 200) counts.accepted++;
        else counts.refused++;
        if (problem) throw new Error(`${problem}\nrequest: POST ${url} ${payload.slice(0, 500)}`);
      }),
      { numRuns: runs, seed: SEED, endOnFailure: true },
    );
    // the generators must reach both sides of the line
    expect(counts.accepted).toBeGreaterThan(runs * acceptedShare);
    expect(counts.refused).toBeGreaterThan(runs / 4);
  }

  it('POST /api/v1/events: any single event', async () => {
    await ingest('/api/v1/events', wireEvent(unique).chain(jsonText));
  }, 300_000);

  it('POST /api/v1/events/batch: any batch', async () => {
    const batch = fc.oneof(
      { weight: 8, arbitrary: fc.array(wireEvent(unique), { minLength: 1, maxLength: 4 }).map((events) => ({ events })) },
      { weight: 1, arbitrary: fc.constantFrom({ events: [] }, { events: null }, { events: {} }, { events: [VALID_EVENTS[0]], extra: 1 }, []) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'events'), fc.array(wireEvent(unique), { maxLength: 2 }), { maxKeys: 3 }) },
    );
    await ingest('/api/v1/events/batch', batch.chain(jsonText));
  }, 300_000);

  it('POST /v1/batch and /v1/track (the Segment source): any Segment request', async () => {
    await ingest('/v1/batch', segmentBatch(unique).chain(jsonText), 1 / 40);
    // one message through the same pipeline as a batch of one: a fifth of the cases
    await ingest('/v1/track', segmentMessage(unique).chain(jsonText), 1 / 20, Math.ceil(RUNS / 5));
  }, 300_000);

  it('every other route of the router: any query string, path parameter, body and credentials', async () => {
    const ingestion = new Set(['POST /api/v1/events', 'POST /api/v1/events/batch']);
    const routes = registeredRoutes(server.app).filter((r) => !ingestion.has(`${r.method} ${r.url}`) && r.method !== 'OPTIONS');
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining([
        'GET /api/v1/customers',
        'GET /api/v1/metrics',
        'GET /api/v1/metrics/explain',
        'GET /health',
        'GET /health/ready',
        'GET /metrics',
        'GET /api/docs-json',
        'GET /api/v1/customers/:id/journey',
        'POST /api/v1/keys',
        'DELETE /api/v1/keys/:id',
        'POST /api/v1/session',
        'DELETE /api/v1/customers/:id',
        'GET /api/v1/customers/:id/export',
        'GET /api/v1/audit',
        'PUT /api/v1/definitions/metrics',
        'PUT /api/v1/definitions/churn-rules',
        'GET /api/v1/definitions/metrics',
        'GET /api/v1/definitions/churn-rules',
      ]),
    );
    const body = fc.oneof(
      { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
      {
        weight: 2,
        arbitrary: fc.record({
          name: edgyString,
          scopes: fc.array(fc.oneof(fc.constantFrom('read', 'ingest', 'admin', 'survey'), edgyString), { maxLength: 5 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ key: edgyString }) },
      // versioned definitions: metric parameters and churn-risk rules, in range or not (few distinct valid ones: each new rules version re-evaluates everyone)
      {
        weight: 1,
        arbitrary: fc.record(
          {
            nps: fc.record({ promoterMin: fc.integer({ min: -1, max: 12 }), detractorMax: fc.integer({ min: -1, max: 12 }) }, { requiredKeys: [] }),
            csat: fc.record({
              satisfiedMin: fc.dictionary(fc.constantFrom('1-5', '1-7', '1-10', 'yes-no', '__proto__'), fc.oneof(fc.integer({ min: 0, max: 11 }), edgyString)),
            }),
            ces: fc.record({ hardMax: fc.dictionary(fc.constantFrom('1-5', '1-7'), fc.integer({ min: 0, max: 8 })) }, { requiredKeys: [] }),
            minSample: fc.oneof(fc.integer({ min: 0, max: 100 }), edgyNumber),
            timeZone: fc.constantFrom('Asia/Ho_Chi_Minh', 'UTC', 'Mars/Olympus', ''),
          },
          { requiredKeys: [] },
        ),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          rules: fc.array(
            fc.record(
              {
                id: fc.constantFrom('ticket-open-too-long', 'slow-ticket', 'Bad Id'),
                kind: fc.constantFrom('ticket-open-too-long', 'nope'),
                hours: fc.constantFrom(0, 24, 48),
              },
              { requiredKeys: ['id', 'kind'] },
            ),
            { maxLength: 2 },
          ),
        }),
      },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'name', 'scopes', 'key'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }) },
    );
    const costs: string[] = [];
    for (const route of routes) {
      const started = Date.now();
      // the dashboard's catch-all and the survey pages answer pages and files; any path under the API's prefixes is JSON
      const api = route.url !== '/*' && !route.url.startsWith('/s/');
      // Prometheus text, the API document's page and its files: other media when they answer, the one JSON error body when they refuse
      const otherMedia = OTHER_MEDIA.has(`${route.method} ${route.url}`);
      const withBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
      // only what the route reads is generated: its path parameters, and a body where it takes one
      const holes = (route.url.match(/:\w+|\*/g) ?? []).length;
      await fc.assert(
        fc.asyncProperty(
          fc.array(pathParam, { minLength: holes, maxLength: holes }),
          queryString,
          withBody ? body.chain(jsonText) : fc.constant(''),
          credentials,
          async (params, query, payload, headers) => {
            let i = 0;
            const url = route.url.replace(/:\w+/g, () => params[i++]).replace('*', params[i++]) + (query ? `?${query}` : '');
            const answer = await inject(route.method, url, withBody ? payload : undefined, headers);
            const problem = problemWith(answer, otherMedia ? answer.status >= 400 : api || isApiPath(url.split('?')[0]));
            if (problem)
              throw new Error(`${problem}\nrequest: ${route.method} ${url.slice(0, 500)} ${withBody ? payload.slice(0, 300) : ''} ${JSON.stringify(headers)}`);
          },
        ),
        // every GET route's query strings at the full count; routes that change state (each accepted
        // case makes a key, a survey, a target...) at a fifth of it, so the suite stays well under 20 minutes
        { numRuns: route.method === 'GET' ? RUNS : Math.ceil(RUNS / 5), seed: SEED, endOnFailure: true },
      );
      costs.push(`${Date.now() - started} ms ${route.method} ${route.url}`);
    }
    // FUZZ_PROFILE=1: what each route cost, dearest first
    if (process.env.FUZZ_PROFILE) process.stderr.write(`${costs.sort((a, b) => parseInt(b) - parseInt(a)).join('\n')}\n`);
  }, 1_200_000);

  it('the Kafka batch function: every message recorded or dead-lettered with a reason, never thrown', async () => {
    const kafkaStore = SqliteEventStore.open(path.join(dataDir, 'kafka-fuzz.db'));
    let offset = 0;
    const value = fc.oneof(
      {
        weight: 8,
        arbitrary: wireEvent(unique)
          .chain(jsonText)
          .map((text) => Buffer.from(text, 'utf8')),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const message = value.map((v): SourceMessage => ({
      topic: 'journey.events',
      partition: 0,
      offset: String(offset++),
      key: null,
      value: v,
      headers: {},
      timestamp: String(Date.parse('2026-11-30T00:00:00Z')),
    }));
    let deadLetters = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 3 }), async (messages) => {
          const outcome = await ingestMessageBatch(kafkaStore, messages, { timeZone: 'Asia/Ho_Chi_Minh', personal: localPersonalData() });
          expect(outcome.recorded.length + outcome.deadLetters.length).toBe(messages.length);
          for (const dead of outcome.deadLetters) {
            expect(dead.detail.length).toBeGreaterThan(0);
            if (dead.reason === 'invalid-event') expect(dead.errors?.every((e) => typeof e.field === 'string' && e.reason.length > 0)).toBe(true);
          }
          deadLetters += outcome.deadLetters.length;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      expect(deadLetters).toBeGreaterThan(RUNS / 4);
    } finally {
      await kafkaStore.close();
    }
  }, 300_000);

  it('import: NDJSON lines and CSV rows of any shape are stored or set aside with a reason', async () => {
    const importDir = tempDataDir('journeyline-fuzz-import-');
    const short = edgyString.filter((s) => s.length < 10_000);
    const lines = fc
      .sample(fc.oneof({ weight: 9, arbitrary: wireEvent(unique).chain(jsonText) }, { weight: 1, arbitrary: short }), { numRuns: RUNS, seed: SEED })
      .map((line) => line.replace(/[\r\n\u2028\u2029]/g, ' '));
    const ndjson = path.join(importDir, 'fuzz.ndjson');
    fs.writeFileSync(ndjson, lines.join('\n'));
    const result = await importFile(ndjson, 'ndjson', 500, { JOURNEYLINE_DATA_DIR: importDir });
    const nonEmpty = lines.filter((l) => l.trim() !== '').length;
    expect(result.stored + result.duplicates + result.rejected).toBe(nonEmpty);
    expect(result.rejected).toBeGreaterThan(RUNS / 4);
    const rejected = fs
      .readFileSync(result.rejectedFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.every((r) => Number.isInteger(r.line) && typeof r.reason === 'string' && r.reason.length > 0)).toBe(true);

    const header = ['type', 'customerId', 'occurredAt', 'touchpoint', 'channel', 'stage', 'kind', 'score', 'scale', '__proto__', 'constructor', 'amount'];
    const cell = short.map((s) => `"${s.replace(/"/g, '""').replace(/\u0000/g, '')}"`);
    const rows = fc.sample(fc.array(cell, { minLength: header.length, maxLength: header.length }), { numRuns: RUNS, seed: SEED + 1 });
    const csv = path.join(importDir, 'fuzz.csv');
    fs.writeFileSync(csv, [header.join(','), ...rows.map((r) => r.join(','))].join('\n'));
    const csvResult = await importFile(csv, 'csv', 500, { JOURNEYLINE_DATA_DIR: importDir });
    expect(csvResult.stored + csvResult.duplicates + csvResult.rejected).toBeGreaterThan(0);
    expect(csvResult.rejected).toBeGreaterThan(RUNS / 4);
  }, 300_000);

  it('afterwards: the read models caught up, nothing parked, and a restart and a rebuild succeed with /health ok', async () => {
    await settled(server, 60_000);
    const health = await http(server, 'GET', '/health', undefined, bearer(adminKey));
    expect(health.body).toMatchObject({ status: 'ok', parked: [], reasons: [] });
    await server.stop();
    server = await startServer(UNLIMITED, dataDir);
    store = server.app.get(EVENT_STORE);
    expect((await http(server, 'GET', '/health', undefined, bearer(adminKey))).body).toMatchObject({ status: 'ok', parked: [] });
    await server.stop();

    const rebuilt = await runCli(dataDir, 'rebuild');
    expect(rebuilt).toMatch(/rebuilt: \d+ events/);
    expect(rebuilt).not.toMatch(/parked/);
    server = await startServer(UNLIMITED, dataDir);
    store = server.app.get(EVENT_STORE);
    await settled(server);
    expect((await http(server, 'GET', '/health', undefined, bearer(adminKey))).body).toMatchObject({ status: 'ok', parked: [], reasons: [] });
  }, 300_000);
});
