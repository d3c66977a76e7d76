import fc from 'fast-check';
import { isApiPath } from '../../apps/server/src/dashboard/dashboard-assets';
import { registeredRoutes } from '../../apps/server/src/server';
import { edgyNumber, edgyString, jsonText, pathParam, PROTOTYPE_NAMES, queryString } from './fuzz';
import { fuzzedServer, problemWith, RUNS, SEED } from './fuzz-harness';

/** Routes of the API's prefixes whose answers are not JSON (their refusals are). */
const OTHER_MEDIA = new Set(['GET /metrics', 'GET /api/docs', 'GET /api/docs/:file']);
/** Fuzzed elsewhere (test/fuzz-ingestion.e2e-spec.ts), as are the Segment source's /v1/batch and /v1/track. */
const INGESTION = new Set(['POST /api/v1/events', 'POST /api/v1/events/batch']);

/** What a route that takes a body is sent: any JSON, and shapes near what the keys, sessions and definitions routes take. */
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

/**
 * Fuzzes one shard of the router's routes (every route but ingestion; shard `shard` of `shards`,
 * taken round-robin in the router's order, which is the order the modules register them): any
 * query string, path parameter, body and credentials. Every shard first checks that the router
 * still has the routes the suite must reach.
 */
export function describeRouteFuzzing(shard: number, shards: number): void {
  describe(`fuzzing the routes of the router, shard ${shard + 1} of ${shards} (e2e, fast-check)`, () => {
    const fuzzed = fuzzedServer(`routes-${shard + 1}`, { withJourneys: true });

    it('any query string, path parameter, body and credentials', async () => {
      const all = registeredRoutes(fuzzed.server.app).filter((r) => !INGESTION.has(`${r.method} ${r.url}`) && r.method !== 'OPTIONS');
      expect(all.map((r) => `${r.method} ${r.url}`)).toEqual(
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
      const routes = all.filter((_, i) => i % shards === shard);
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
            fuzzed.credentials,
            async (params, query, payload, headers) => {
              let i = 0;
              const url = route.url.replace(/:\w+/g, () => params[i++]).replace('*', params[i++]) + (query ? `?${query}` : '');
              const answer = await fuzzed.inject(route.method, url, withBody ? payload : undefined, headers);
              const problem = problemWith(answer, otherMedia ? answer.status >= 400 : api || isApiPath(url.split('?')[0]));
              if (problem)
                throw new Error(
                  `${problem}\nrequest: ${route.method} ${url.slice(0, 500)} ${withBody ? payload.slice(0, 300) : ''} ${JSON.stringify(headers)}`,
                );
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

    fuzzed.itEndsHealthy();
  });
}
