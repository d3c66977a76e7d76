import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Followers, loadConfig, type JourneylineConfig } from '@journeyline/platform';
import { createServer } from '../../apps/server/src/server';

/** The real app on a random port over real HTTP, on its own data directory. */
export interface RunningServer {
  url: string;
  dataDir: string;
  config: JourneylineConfig;
  app: NestFastifyApplication;
  stop(): Promise<void>;
}

/** The admin key every test server starts with (JOURNEYLINE_ADMIN_KEY): `http` sends it unless told otherwise. */
export const TEST_ADMIN_KEY = 'journeyline-test-admin-key-0123456789';

/** The Authorization header of a key. */
export function bearer(key: string = TEST_ADMIN_KEY): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/**
 * The product runs the projector on a thread of its own (JOURNEYLINE_PROJECTOR_THREAD); a test
 * server runs it on the event loop's thread unless its suite spreads this into its environment:
 * under the TypeScript sources a thread compiles its code on every start (about a second), which
 * the many servers of the suite would pay again and again. The suites that ask for it: ingestion,
 * readiness, alerts, follow-ups and the SIGKILL rounds (and projector-thread.spec.ts).
 */
export const PROJECTOR_THREAD = { JOURNEYLINE_PROJECTOR_THREAD: 'true' } as const;

export function tempDataDir(prefix = 'journeyline-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The server listens at once and catches up with the log in the background; a test server is
 * returned once it has caught up (as `/health/ready` would say), unless `untilReady` is false.
 */
export async function startServer(env: Record<string, string> = {}, dataDir = tempDataDir(), { untilReady = true } = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_ADMIN_KEY: TEST_ADMIN_KEY, JOURNEYLINE_PROJECTOR_THREAD: 'false', ...env });
  const app = await createServer(config, false);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const followers = app.get(Followers);
  const deadline = Date.now() + 120_000;
  while (untilReady && !followers.isCaughtUp) {
    if (Date.now() > deadline) throw new Error('the server did not catch up with the event log within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { url: `http://127.0.0.1:${address.port}`, dataDir, config, app, stop: () => app.close() };
}

/**
 * One request to a test server, as the admin (TEST_ADMIN_KEY) unless `headers` has its own
 * `authorization` (an empty one sends none).
 */
export async function http(server: RunningServer, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}) {
  const { authorization = bearer().authorization, ...rest } = headers;
  const init: RequestInit = { method, headers: { ...rest, ...(authorization ? { authorization } : {}) } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
  }
  const response = await fetch(server.url + pathname, init);
  const text = await response.text();
  let json: any = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json, text, headers: response.headers };
}

/** Waits until every projection has applied everything in the store. */
export async function settled(server: RunningServer, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await http(server, 'GET', '/health')).body;
    if (health.projections.length > 0 && health.projections.every((p: { lag: number }) => p.lag === 0)) return;
    if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(health)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Posts any number of wire events in batches of 1,000, failing loudly on a non-200. */
export async function postAll(server: RunningServer, events: object[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const response = await http(server, 'POST', '/api/v1/events/batch', { events: events.slice(i, i + 1000) });
    if (response.status !== 200) throw new Error(`batch at ${i} answered ${response.status}: ${response.text.slice(0, 500)}`);
  }
}

/** One server for a describe block: started before its tests, stopped after; call the getter inside a test. */
export function serverForSuite(env: Record<string, string> = {}): () => RunningServer {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(env);
  });
  afterAll(async () => {
    await server?.stop();
  });
  return () => server;
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
export async function waitFor(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
