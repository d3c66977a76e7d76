import * as fs from 'node:fs';
import { seedDemo } from '@journeyline/demo';
import { configuredStore, loadConfig, openEventStore, personalData } from '@journeyline/platform';
import { http, startServer, tempDataDir, TEST_ADMIN_KEY, type RunningServer, PROJECTOR_THREAD } from './support/running-server';

/**
 * A server started on a long log listens at once and catches up in the background: /health/live
 * answers, /health/ready is 503 with each projection's progress, reads answer meanwhile (saying how
 * far behind they are in X-Journeyline-Behind), then /health/ready is 200 and reads are complete.
 */
describe('readiness while catching up (e2e)', () => {
  const dataDir = tempDataDir('journeyline-readiness-');
  let server: RunningServer | undefined;
  let events = 0;

  beforeAll(async () => {
    // the log written directly through the write path (deciders, sealing, append), with no server to project it
    const config = loadConfig({ JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_ADMIN_KEY: TEST_ADMIN_KEY });
    const store = await openEventStore(configuredStore(config));
    const personal = await personalData(config);
    try {
      events = (await seedDemo(store, { customers: 5000, personal, now: new Date('2026-12-01T00:00:00Z') })).events;
    } finally {
      await personal.vault.close();
      await store.close();
    }
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers live at once, ready 503 with progress while catching up, reads meanwhile, then ready 200', async () => {
    expect(events).toBeGreaterThan(30_000);
    const started = Date.now();
    server = await startServer(PROJECTOR_THREAD, dataDir, { untilReady: false });
    const listenedMs = Date.now() - started;

    expect((await http(server, 'GET', '/health/live', undefined, { authorization: '' })).body).toEqual({ status: 'live' });
    const catchingUp = await http(server, 'GET', '/health/ready', undefined, { authorization: '' });
    expect(catchingUp.status).toBe(503);
    expect(catchingUp.headers.get('retry-after')).toBe('2');
    expect(catchingUp.body).toMatchObject({ statusCode: 503, status: 'catching-up', errors: [{ field: 'projections' }] });
    const head = catchingUp.body.head;
    expect(head).toBeGreaterThanOrEqual(events);
    const names = catchingUp.body.projections.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['journey-map', 'cx-metrics', 'churn-risk-process']));
    for (const p of catchingUp.body.projections) {
      expect(p).toEqual({ name: expect.any(String), position: expect.any(Number), head, behind: head - p.position });
    }
    expect(Math.max(...catchingUp.body.projections.map((p: { behind: number }) => p.behind))).toBeGreaterThan(0);

    // reads answer meanwhile, from what is applied, and say how far behind they are
    const behindSeen: number[] = [];
    const readMs: number[] = [];
    let ready = catchingUp;
    while (ready.status !== 200) {
      const asked = Date.now();
      const read = await http(server, 'GET', '/api/v1/customers?limit=5');
      readMs.push(Date.now() - asked);
      expect(read.status).toBe(200);
      behindSeen.push(Number(read.headers.get('x-journeyline-behind')));
      ready = await http(server, 'GET', '/health/ready', undefined, { authorization: '' });
      expect([200, 503]).toContain(ready.status);
      if (Date.now() - started > 110_000) throw new Error(`not ready after 110 s: ${ready.text.slice(0, 500)}`);
    }
    const readyMs = Date.now() - started;
    expect(behindSeen.length).toBeGreaterThan(0);
    expect(behindSeen[0]).toBeGreaterThan(0);
    expect(behindSeen.every((n) => Number.isInteger(n) && n >= 0 && n <= head)).toBe(true);
    expect(ready.body).toMatchObject({ status: 'ready', head: expect.any(Number) });
    const processes = ['churn-risk-process', 'follow-ups'];
    expect(ready.body.projections.filter((p: { name: string; behind: number }) => !processes.includes(p.name) && p.behind > 0)).toEqual([]);
    process.stderr.write(`${JSON.stringify(ready.body.projections.filter((p: { name: string }) => processes.includes(p.name)))}\n`);

    const complete = await http(server, 'GET', '/api/v1/customers?limit=5');
    expect(complete.headers.get('x-journeyline-behind')).toBe('0');
    expect(complete.body.items).toHaveLength(5);
    // the /health answer agrees, and a write after readiness is projected as before
    expect((await http(server, 'GET', '/health')).body.status).toBe('ok');
    process.stderr.write(
      `readiness: ${events} events; listening after ${listenedMs} ms, ready after ${readyMs} ms; ${behindSeen.length} reads answered meanwhile, in ${Math.min(...readMs)}..${Math.max(...readMs)} ms (median ${readMs.sort((a, b) => a - b)[readMs.length >> 1]} ms)\n`,
    );
    expect(listenedMs).toBeLessThan(readyMs);
  }, 150_000);
});
