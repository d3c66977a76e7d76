import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { commandAsWireEvent, type CustomerCommand } from '@journeyline/journey';
import { batchesOf, benchCommands } from './bench-events';
import { scratch, seconds, type PathRun } from './sqlite-paths';

const COMPILED = __filename.endsWith('.js');
const ROOT = path.resolve(__dirname, COMPILED ? '../../..' : '../..');
const ADMIN_KEY = process.env.BENCH_KEY ?? 'journeyline-benchmark-admin-key-0001';
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` };

interface Server {
  url: string;
  process: ChildProcess;
  stop: () => Promise<void>;
}

/** The real server (bench/serve.bench.ts: the built main.js, or main.ts under swc-node) on an empty data directory, projections running. */
async function startServer(dataDir: string): Promise<Server> {
  const child = fork(path.join(__dirname, '..', COMPILED ? 'serve.bench.js' : 'serve.bench.ts'), [dataDir], {
    execArgv: COMPILED ? [] : ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      BENCH_KEY: ADMIN_KEY,
      // one key from one address: measure ingest, not the rate limits
      JOURNEYLINE_RATE_LIMIT_INGEST_PER_KEY: '100000000',
      JOURNEYLINE_RATE_LIMIT_INGEST_PER_ADDRESS: '100000000',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  child.stdout!.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    process: child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    },
  };
}

/** Until every projection has applied everything appended, so the next path starts on an idle machine. */
async function settled(url: string): Promise<void> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    const response = await fetch(`${url}/health`, { headers: HEADERS });
    const health = (await response.json()) as { projections?: { lag: number }[] };
    if (health.projections && health.projections.length > 0 && health.projections.every((p) => p.lag === 0)) return;
    if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(health).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function storePosition(url: string): Promise<number> {
  return ((await (await fetch(`${url}/health`, { headers: HEADERS })).json()) as { position: number }).position;
}

/** Each lane's batches as request bodies, built before the clock starts. */
function bodies(lanes: readonly CustomerCommand[][][]): string[][] {
  return lanes.map((batches) => batches.map((batch) => JSON.stringify({ events: batch.map(commandAsWireEvent) })));
}

async function post(url: string, lanes: readonly string[][]): Promise<number> {
  let events = 0;
  await Promise.all(
    lanes.map(async (batches) => {
      for (const body of batches) {
        const response = await fetch(`${url}/api/v1/events/batch`, { method: 'POST', headers: HEADERS, body });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`POST /api/v1/events/batch answered ${response.status}: ${text.slice(0, 500)}`);
        events += (JSON.parse(text) as { events?: unknown[] }).events?.length ?? 0;
      }
    }),
  );
  return events;
}

/**
 * HTTP `POST /api/v1/events/batch`: one client per lane (8), each posting its 1,000-event batches
 * one after another, to a server started for this run on an empty store, with its projections
 * running. The server is warmed up first (one batch a client, other customers) and settled; the
 * clock runs from the first measured request to the last answer (and, for `caughtUpSeconds`, on
 * until /health says every projection has applied everything). Stored rows are counted by how
 * far the store's position (from /health) moved.
 */
export async function httpBatch(lanes: readonly CustomerCommand[][][]): Promise<PathRun> {
  const { dir, done } = scratch('http');
  const server = await startServer(path.join(dir, 'data'));
  try {
    const warm = batchesOf([...benchCommands(lanes.length * 1000, lanes.length * 100, 3, 'warm-')], 1000);
    await post(
      server.url,
      warm.map((batch) => [JSON.stringify({ events: batch.map(commandAsWireEvent) })]),
    );
    await settled(server.url);
    const before = await storePosition(server.url);
    const prepared = bodies(lanes);
    const expected = lanes.reduce((sum, batches) => sum + batches.reduce((s, b) => s + b.length, 0), 0);
    const started = process.hrtime.bigint();
    const answered = await post(server.url, prepared);
    const took = seconds(started);
    if (answered !== expected) throw new Error(`the server answered for ${answered} events, ${expected} were sent`);
    await settled(server.url);
    const caughtUpSeconds = seconds(started);
    const rows = (await storePosition(server.url)) - before;
    if (rows < expected) throw new Error(`the server's store grew by ${rows} positions, fewer than the ${expected} events sent`);
    return { events: expected, seconds: took, cpuSeconds: null, storedRows: rows, caughtUpSeconds };
  } finally {
    await server.stop();
    done();
  }
}
