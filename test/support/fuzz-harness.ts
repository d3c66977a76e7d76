/**
 * Property-based fuzzing of every entry point (fast-check, at least 10,000 generated cases each;
 * 2,000 for each route that changes state other than ingestion, and for /v1/track beside /v1/batch):
 * single and batch ingestion over the real app's HTTP pipeline (Fastify's parsers, hooks, Nest's
 * pipes and filters; `inject`, no socket), the Kafka batch function, import lines, and the query
 * strings, path parameters, bodies and credentials of every route the router knows (keys,
 * sessions, erasure and export included). Requests carry the admin key unless the generated
 * credentials say otherwise; the rate limits are raised so the fuzzer measures answers, not 429s.
 * Every answer is below 500, JSON, and a refusal names a field and a reason; a refused request
 * stores nothing; afterwards the server restarts, a rebuild finishes, and /health is ok with
 * nothing parked.
 *
 * The suite is four files (test/fuzz-*.e2e-spec.ts) so that jest runs them in parallel workers:
 * ingestion, and the routes of the router in three shards. Each file has a server and a data
 * directory of its own and ends with the same restart-and-rebuild check.
 *
 * FUZZ_SEED picks another seed (the default is fixed, so CI runs the same cases every time);
 * FUZZ_RUNS another number of cases per entry point.
 */
import fc from 'fast-check';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { FirstAdminKey } from '../../apps/server/src/access/first-admin-key';
import { runCli } from './cli';
import { ensureDashboardBuilt } from './dashboard-build';
import { edgyString, VALID_EVENTS } from './fuzz';
import { bearer, http, settled, startServer, tempDataDir, type RunningServer } from './running-server';

export const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
export const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);
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
const UNLIMITED = {
  JOURNEYLINE_ADMIN_KEY: '',
  JOURNEYLINE_RATE_LIMIT_INGEST_PER_KEY: '100000000',
  JOURNEYLINE_RATE_LIMIT_INGEST_PER_ADDRESS: '100000000',
  JOURNEYLINE_RATE_LIMIT_PUBLIC_PER_ADDRESS: '100000000',
  JOURNEYLINE_RATE_LIMIT_AUTH_FAILURES: '100000000',
};

export interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** The last body that parsed as JSON: the same 200 KB API document 10,000 times is parsed once. */
let lastJsonBody: string | undefined;

/** Why an answer breaks the contract, or null. */
export function problemWith(answer: Answer, jsonExpected: boolean): string | null {
  if (answer.status >= 500) return `status ${answer.status}: ${answer.body.slice(0, 300)}`;
  const type = String(answer.headers['content-type'] ?? '');
  if (!jsonExpected) return null;
  if (!type.startsWith('application/json')) return `status ${answer.status} answered ${type || 'no content type'}: ${answer.body.slice(0, 200)}`;
  if (answer.status < 400 && answer.body === lastJsonBody) return null;
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
  } else lastJsonBody = answer.body;
  return null;
}

/** A fuzzed server: one per spec file, started before its tests and stopped after them. */
export interface FuzzedServer {
  readonly server: RunningServer;
  readonly store: EventStore;
  readonly dataDir: string;
  /**
   * The admin key is one the server makes (jlk_…), not a chosen one: a chosen key would make every
   * generated sign-in attempt of 24 characters or more cost a scrypt check (by design), and the
   * fuzzer would measure scrypt. Set when the server first starts.
   */
  readonly adminKey: string;
  /** Credentials as a client might send them: mostly the admin key, sometimes anything at all. */
  readonly credentials: fc.Arbitrary<Record<string, string>>;
  /** A fresh customer or event id. */
  unique(): string;
  /** One request through the app's whole HTTP pipeline (no socket), as the admin unless `headers` say otherwise. */
  inject(method: string, url: string, payload?: string, headers?: Record<string, string>): Promise<Answer>;
  /**
   * Generated bodies posted to an ingestion route: every answer keeps the contract and a refused
   * one stores nothing. `acceptedShare`: the least share that must be taken (a Segment batch is
   * taken only whole, so fewer are).
   */
  ingest(url: string, body: fc.Arbitrary<string>, acceptedShare?: number, runs?: number): Promise<void>;
  /** The file's last test: the read models caught up, nothing parked, and a restart and a rebuild succeed with /health ok. */
  itEndsHealthy(): void;
}

/**
 * Starts a server for the spec file (beforeAll) and stops it (afterAll). `withJourneys`: the store
 * first holds the valid events the generators mutate (40 demo customers' journeys, feedback,
 * tickets and purchases), so reads fuzzed on it have customers, metrics and a funnel to answer from.
 */
export function fuzzedServer(prefix: string, { withJourneys = false } = {}): FuzzedServer {
  const dataDir = tempDataDir(`journeyline-fuzz-${prefix}-`);
  let server: RunningServer;
  let store: EventStore;
  let adminKey = '';
  let counter = 0;
  beforeAll(async () => {
    ensureDashboardBuilt();
    server = await startServer({ JOURNEYLINE_LOG_FORMAT: 'json', ...UNLIMITED }, dataDir);
    adminKey = server.app.get(FirstAdminKey).created!.key;
    store = server.app.get(EVENT_STORE);
    for (let i = 0; withJourneys && i < VALID_EVENTS.length; i += 500) {
      const answer = await inject('POST', '/api/v1/events/batch', JSON.stringify({ events: VALID_EVENTS.slice(i, i + 500) }));
      if (answer.status !== 200) throw new Error(`the demo journeys were refused: ${answer.status} ${answer.body.slice(0, 500)}`);
    }
    await settled(server, 60_000);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const inject: FuzzedServer['inject'] = async (method, url, payload, headers = bearer(adminKey)) => {
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
  };

  /** A refused request must leave the log as it was (only the server's own churn-risk flags may have been appended meanwhile). */
  async function nothingStoredSince(before: number): Promise<string | null> {
    const since = await store.readAll({ after: before, limit: 100 });
    const foreign = since.filter((e) => !DERIVED_BY_THE_SERVER.has(e.type));
    return foreign.length > 0 ? `a refused request stored ${foreign.map((e) => e.eventId).join(', ')}` : null;
  }

  const ingest: FuzzedServer['ingest'] = async (url, body, acceptedShare = 1 / 20, runs = RUNS) => {
    const counts = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const before = await store.headPosition();
        const answer = await inject('POST', url, payload);
        const problem = problemWith(answer, true) ?? (answer.status === 200 ? null : await nothingStoredSince(before));
        if (answer.status === 200) counts.accepted++;
        else counts.refused++;
        if (problem) throw new Error(`${problem}\nrequest: POST ${url} ${payload.slice(0, 500)}`);
      }),
      { numRuns: runs, seed: SEED, endOnFailure: true },
    );
    // the generators must reach both sides of the line
    expect(counts.accepted).toBeGreaterThan(runs * acceptedShare);
    expect(counts.refused).toBeGreaterThan(runs / 4);
  };

  const credentials: fc.Arbitrary<Record<string, string>> = fc.oneof(
    { weight: 12, arbitrary: fc.constant(null).map(() => bearer(adminKey)) },
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: edgyString.map((s) => ({ authorization: `Bearer ${s.replace(/[\r\n\u0000-\u001f\u007f-\uffff]/g, '')}` })) },
    { weight: 1, arbitrary: edgyString.map((s) => ({ authorization: `Basic ${Buffer.from(s).toString('base64')}` })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => ({ cookie: `jl_session=${encodeURIComponent(s)}` })) },
  );

  function itEndsHealthy(): void {
    it('afterwards: the read models caught up, nothing parked, and a restart and a rebuild succeed with /health ok', async () => {
      const admin = bearer(adminKey);
      await settled(server, 60_000);
      expect((await http(server, 'GET', '/health', undefined, admin)).body).toMatchObject({ status: 'ok', parked: [], reasons: [] });
      await server.stop();
      server = await startServer(UNLIMITED, dataDir);
      expect((await http(server, 'GET', '/health', undefined, admin)).body).toMatchObject({ status: 'ok', parked: [] });
      await server.stop();

      const rebuilt = await runCli(dataDir, 'rebuild');
      expect(rebuilt).toMatch(/rebuilt: \d+ events/);
      expect(rebuilt).not.toMatch(/parked/);
      server = await startServer(UNLIMITED, dataDir);
      store = server.app.get(EVENT_STORE);
      await settled(server);
      expect((await http(server, 'GET', '/health', undefined, admin)).body).toMatchObject({ status: 'ok', parked: [], reasons: [] });
    }, 300_000);
  }

  return {
    get server() {
      return server;
    },
    get store() {
      return store;
    },
    get adminKey() {
      return adminKey;
    },
    dataDir,
    credentials,
    unique: () => `fz-${++counter}`,
    inject,
    ingest,
    itEndsHealthy,
  };
}
