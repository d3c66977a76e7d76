import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { seededRandom } from '@journeyline/demo';
import { calibrate } from './calibration';
import { median } from './median';

/**
 * Segment batch ingest (POST /v1/batch, the write key as basic-auth user, through a mapping file)
 * beside the native HTTP batch path (POST /api/v1/events/batch) on one server, in one run: the
 * same clients, batch size and journeys, rendered once as Segment messages and once as the wire
 * events the mapping makes of them. Repetitions alternate the two paths (and which goes first), so
 * the shared VM's drift hits both alike; each phase starts with the projections caught up, so one
 * path's projection work does not spill into the other's time. Medians over the repetitions.
 *
 * Writes bench/results/segment.json and segment.md, and prints its result as one JSON line on
 * stdout, as the other benches do: `npm run bench` runs it as a section of latest.json; run alone
 * with `npm run build:server && node dist/bench/segment.bench.js` (about a minute on 2 cores).
 */
const COMPILED = __filename.endsWith('.js');
const ROOT = path.resolve(__dirname, COMPILED ? '../..' : '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const CLIENTS = Number(process.env.BENCH_SEGMENT_CLIENTS ?? 8);
const BATCH = Number(process.env.BENCH_SEGMENT_BATCH ?? 500);
/** Batches each client sends in one phase. */
const BATCHES = Number(process.env.BENCH_SEGMENT_BATCHES ?? 6);
const REPETITIONS = Number(process.env.BENCH_SEGMENT_REPETITIONS ?? 5);
const ADMIN_KEY = process.env.BENCH_KEY ?? 'journeyline-benchmark-admin-key-0001';
const WRITE_KEY = 'journeyline-benchmark-segment-write-key-0001';

/** What a shop's analytics tags send, and what it means for the journey (the README's example, cut down). */
const MAPPING = `defaults:
  channel: web
  stage: awareness
track:
  - event: Product Viewed
    touchpoint: web:product
    stage: evaluation
    properties: [sku, category]
  - event: Product Added
    touchpoint: web:cart
    stage: choice
  - event: Checkout *
    touchpoint: web:checkout
    stage: choice
  - event: Order Completed
    as: purchase.made
    currency: VND
  - event: NPS Answered
    as: feedback.given
    kind: nps
    touchpoint: web:survey
    from: { comment: feedback_text }
page:
  - path: /pricing*
    touchpoint: web:pricing
    stage: evaluation
  - url: https://shop.example.vn/products/*
    touchpoint: web:product-list
    stage: awareness
identify:
  name: name
  email: email
  segment: plan
`;

type Path = 'segment' | 'native';

/** One journey step, before it is written for either path. */
interface Step {
  kind: 'view' | 'cart' | 'checkout' | 'order' | 'nps' | 'pricing' | 'products' | 'blog' | 'identify';
  customer: string;
  n: number;
  at: string;
}

/**
 * The mix: 60% track (views, cart, checkout, orders, NPS), 30% page (pricing, product list, and 2%
 * of all messages a blog page no rule maps: recorded at defaults.stage and listed as unmapped),
 * 10% identify. About 20 messages a customer.
 */
const MIX: [Step['kind'], number][] = [
  ['view', 35],
  ['cart', 10],
  ['checkout', 8],
  ['order', 4],
  ['nps', 3],
  ['pricing', 16],
  ['products', 12],
  ['blog', 2],
  ['identify', 10],
];

/** The steps of one phase: CLIENTS × BATCHES batches of BATCH steps, for events/20 customers. */
function phaseSteps(rep: number): Step[][] {
  // seeded: both paths of a repetition get the same journeys
  const next = seededRandom(1000 + rep);
  const total = CLIENTS * BATCHES * BATCH;
  const customers = Math.max(1, Math.round(total / 20));
  const start = Date.now() - 3 * 3_600_000;
  const pick = () => {
    let r = next() * 100;
    for (const [kind, weight] of MIX) if ((r -= weight) < 0) return kind;
    return 'view';
  };
  const batches: Step[][] = [];
  for (let b = 0; b < CLIENTS * BATCHES; b++) {
    batches.push(
      Array.from({ length: BATCH }, (_, i) => {
        const n = b * BATCH + i;
        return { kind: pick(), customer: `c${Math.floor(next() * customers)}`, n, at: new Date(start + n * 100).toISOString() };
      }),
    );
  }
  return batches;
}

const CONTEXT = { library: { name: '@segment/analytics-node', version: '3.1.0' } };

/** A step as analytics-node sends it. */
function segmentMessage(step: Step, prefix: string): Record<string, unknown> {
  const common = {
    messageId: `${prefix}-m${step.n}`,
    userId: `${prefix}-${step.customer}`,
    timestamp: step.at,
    context: CONTEXT,
    integrations: {},
    _metadata: { nodeVersion: process.versions.node, jsRuntime: 'node' },
  };
  const track = (event: string, properties: Record<string, unknown>) => ({ type: 'track', event, properties, ...common });
  const page = (name: string, url: string) => ({
    type: 'page',
    name,
    properties: { path: new URL(url).pathname, url, title: `${name} | Shop`, referrer: 'https://www.google.com/' },
    ...common,
  });
  switch (step.kind) {
    case 'view':
      return track('Product Viewed', { sku: `sku-${step.n % 400}`, category: 'shoes', price: 499000, currency: 'VND' });
    case 'cart':
      return track('Product Added', { sku: `sku-${step.n % 400}`, quantity: 1, price: 499000 });
    case 'checkout':
      return track('Checkout Started', { order_id: `o-${prefix}-${step.n}`, value: 499000, currency: 'VND' });
    case 'order':
      return track('Order Completed', { order_id: `o-${prefix}-${step.n}`, total: 499000 + step.n, currency: 'VND', products: [{ sku: 'sku-1' }] });
    case 'nps':
      return track('NPS Answered', { score: step.n % 11, feedback_text: 'Giao hàng nhanh, đóng gói cẩn thận' });
    case 'pricing':
      return page('Pricing', 'https://shop.example.vn/pricing/vn');
    case 'products':
      return page('Products', `https://shop.example.vn/products/giay-${step.n % 50}`);
    case 'blog':
      return page('Blog', 'https://shop.example.vn/blog/cach-chon-giay');
    case 'identify':
      return { type: 'identify', traits: { name: 'Nguyễn Văn An', email: `an.${step.customer}@example.vn`, plan: 'gold' }, ...common };
  }
}

/** The wire event the mapping makes of the same step (what a team using the native API sends). */
function nativeEvent(step: Step, prefix: string): Record<string, unknown> {
  const event = (type: string, data: Record<string, unknown>) => ({
    eventId: `${prefix}-e${step.n}`,
    type,
    customerId: `${prefix}-${step.customer}`,
    occurredAt: step.at,
    data,
  });
  const visit = (touchpoint: string, stage: string, properties?: Record<string, unknown>) =>
    event('touchpoint.visited', { touchpoint, channel: 'web', stage, ...(properties ? { properties } : {}) });
  switch (step.kind) {
    case 'view':
      return visit('web:product', 'evaluation', { sku: `sku-${step.n % 400}`, category: 'shoes' });
    case 'cart':
      return visit('web:cart', 'choice');
    case 'checkout':
      return visit('web:checkout', 'choice');
    case 'order':
      return event('purchase.made', { orderId: `o-${prefix}-${step.n}`, amount: 499000 + step.n, currency: 'VND' });
    case 'nps':
      return event('feedback.given', { kind: 'nps', score: step.n % 11, touchpoint: 'web:survey', comment: 'Giao hàng nhanh, đóng gói cẩn thận' });
    case 'pricing':
      return visit('web:pricing', 'evaluation');
    case 'products':
      return visit('web:product-list', 'awareness');
    case 'blog':
      return visit('Blog', 'awareness');
    case 'identify':
      return event('customer.profiled', { name: 'Nguyễn Văn An', email: `an.${step.customer}@example.vn`, segment: 'gold' });
  }
}

function body(route: Path, batch: Step[], prefix: string): string {
  return route === 'segment'
    ? JSON.stringify({ batch: batch.map((step) => segmentMessage(step, prefix)), sentAt: new Date().toISOString(), writeKey: WRITE_KEY })
    : JSON.stringify({ events: batch.map((step) => nativeEvent(step, prefix)) });
}

const HEADERS: Record<Path, Record<string, string>> = {
  segment: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}` },
  native: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_KEY}` },
};
const ROUTES: Record<Path, string> = { segment: '/v1/batch', native: '/api/v1/events/batch' };

interface Phase {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  latenciesMs: number[];
  /** The server's highest RSS sampled during the phase. */
  rssMiB: number;
}

/** CLIENTS clients, each posting its BATCHES batches one after another; bodies are built before the clock starts. */
async function phase(url: string, server: ChildProcess, route: Path, rep: number, steps: Step[][]): Promise<Phase> {
  const prefix = `${route}-r${rep}`;
  const bodies = steps.map((batch) => body(route, batch, prefix));
  const largest = Math.max(...bodies.map((b) => b.length));
  if (route === 'segment' && largest > 500 * 1000) throw new Error(`a Segment batch of ${largest} bytes is over Segment's 500 KB`);
  let rssMiB = 0;
  const sampler = setInterval(() => void rss(server).then((r) => (rssMiB = Math.max(rssMiB, r.rssMiB))), 100);
  const latenciesMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, client) => {
      for (let b = client; b < bodies.length; b += CLIENTS) {
        const t = performance.now();
        const response = await fetch(url + ROUTES[route], { method: 'POST', headers: HEADERS[route], body: bodies[b] });
        const text = await response.text();
        if (response.status !== 200) throw new Error(`${ROUTES[route]} answered ${response.status}: ${text.slice(0, 500)}`);
        if (route === 'segment') {
          const answer = JSON.parse(text) as { stored: number; setAside: unknown[] };
          if (answer.setAside.length > 0) throw new Error(`segment batch set messages aside: ${JSON.stringify(answer.setAside).slice(0, 500)}`);
        }
        latenciesMs.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  rssMiB = Math.max(rssMiB, (await rss(server)).rssMiB);
  const events = bodies.length * BATCH;
  return { events, seconds, eventsPerSecond: Math.round(events / seconds), latenciesMs, rssMiB };
}

function rss(server: ChildProcess): Promise<{ peakRssMiB: number; rssMiB: number }> {
  return new Promise((resolve) => {
    server.once('message', (message) => resolve(message as { peakRssMiB: number; rssMiB: number }));
    server.send('rss');
  });
}

/** Until every projection has applied everything appended (so the next phase starts from rest). */
async function settled(url: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const response = await fetch(`${url}/health`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const health = (await response.json()) as { projections?: { lag: number }[] };
    if (health.projections && health.projections.length > 0 && health.projections.every((p) => p.lag === 0)) return;
    if (Date.now() > deadline) throw new Error(`projections did not catch up: ${JSON.stringify(health).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

function summary(phases: Phase[]) {
  const all = phases.flatMap((p) => p.latenciesMs).sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms);
  return {
    eventsPerSecond: Math.round(median(phases.map((p) => p.eventsPerSecond))),
    eventsPerSecondByRepetition: phases.map((p) => p.eventsPerSecond),
    /** Median over repetitions of each repetition's p99 request latency. */
    p99Ms: round(
      median(
        phases.map((p) =>
          quantile(
            [...p.latenciesMs].sort((a, b) => a - b),
            0.99,
          ),
        ),
      ),
    ),
    /** Over every measured request of this path. */
    pooledP50Ms: round(quantile(all, 0.5)),
    pooledP99Ms: round(quantile(all, 0.99)),
    requests: all.length,
    peakRssMiB: Math.max(...phases.map((p) => p.rssMiB)),
  };
}

export interface SegmentBenchResult {
  clients: number;
  eventsPerBatch: number;
  batchesPerClientPerPhase: number;
  repetitions: number;
  eventsPerPhase: number;
  mix: Record<string, number>;
  segmentBatchBytes: number;
  nativeBatchBytes: number;
  segment: ReturnType<typeof summary>;
  native: ReturnType<typeof summary>;
  /** segment / native: events/s (below 1: Segment is slower), p99 (above 1: Segment waits longer). */
  ratio: { eventsPerSecond: number; p99: number; eventsPerSecondByRepetition: number[]; eventsPerSecondMedianOfRepetitions: number };
  /** A fixed piece of CPU work timed at the start, as run.ts does: this shared VM's speed varies from run to run. */
  calibrationMs: number;
  /** The server's VmHWM at the end: the peak of the whole run, both paths and the warm-up. */
  serverPeakRssMiB: number;
  seconds: number;
}

async function main(): Promise<void> {
  const began = Date.now();
  const calibrationMs = calibrate();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-bench-segment-'));
  const mappingFile = path.join(dir, 'segment-mapping.yaml');
  fs.writeFileSync(mappingFile, MAPPING);
  const server = fork(path.join(__dirname, COMPILED ? 'serve.bench.js' : 'serve.bench.ts'), [path.join(dir, 'data')], {
    execArgv: COMPILED ? [] : ['-r', '@swc-node/register'],
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      BENCH_KEY: ADMIN_KEY,
      JOURNEYLINE_SEGMENT_WRITE_KEY: WRITE_KEY,
      JOURNEYLINE_SEGMENT_MAPPING: mappingFile,
      // the benchmark's clients are one key from one address: measure ingest, not the rate limits
      JOURNEYLINE_RATE_LIMIT_INGEST_PER_KEY: '100000000',
      JOURNEYLINE_RATE_LIMIT_INGEST_PER_ADDRESS: '100000000',
    },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      server.stdout!.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    server.stdout!.resume();
    const url = `http://127.0.0.1:${port}`;

    process.stderr.write(`bench: segment vs native batch ingest, ${CLIENTS} clients, ${BATCH}-event batches, ${REPETITIONS} repetitions\n`);
    // warm-up: one batch a client on each path (JIT, caches, the mapping's first use); not counted
    const warm = phaseSteps(-1).slice(0, CLIENTS);
    for (const route of ['segment', 'native'] as const) {
      await phase(url, server, route, -1, warm);
      await settled(url);
    }
    const phases: Record<Path, Phase[]> = { segment: [], native: [] };
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const steps = phaseSteps(rep);
      const order: Path[] = rep % 2 === 0 ? ['segment', 'native'] : ['native', 'segment'];
      for (const route of order) {
        const result = await phase(url, server, route, rep, steps);
        phases[route].push(result);
        process.stderr.write(`bench: repetition ${rep + 1} ${route}: ${result.eventsPerSecond} events/s\n`);
        await settled(url);
      }
    }
    const sample = phaseSteps(0)[0];
    const pairs = phases.segment.map((p, i) => Number((p.eventsPerSecond / phases.native[i].eventsPerSecond).toFixed(2)));
    const segment = summary(phases.segment);
    const native = summary(phases.native);
    const result: SegmentBenchResult = {
      clients: CLIENTS,
      eventsPerBatch: BATCH,
      batchesPerClientPerPhase: BATCHES,
      repetitions: REPETITIONS,
      eventsPerPhase: CLIENTS * BATCHES * BATCH,
      mix: Object.fromEntries(MIX),
      segmentBatchBytes: body('segment', sample, 'size').length,
      nativeBatchBytes: body('native', sample, 'size').length,
      segment,
      native,
      ratio: {
        eventsPerSecond: Number((segment.eventsPerSecond / native.eventsPerSecond).toFixed(2)),
        p99: Number((segment.p99Ms / native.p99Ms).toFixed(2)),
        // the two phases of one repetition ran minutes apart at most: their ratio is the one least moved by the VM's drift
        eventsPerSecondByRepetition: pairs,
        eventsPerSecondMedianOfRepetitions: Number(median(pairs).toFixed(2)),
      },
      calibrationMs,
      serverPeakRssMiB: (await rss(server)).peakRssMiB,
      seconds: Math.round((Date.now() - began) / 1000),
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    const machine = { date: new Date().toISOString(), cpus: os.cpus().length, node: process.version };
    fs.writeFileSync(path.join(RESULTS, 'segment.json'), `${JSON.stringify({ ...machine, ...result }, null, 2)}\n`);
    fs.writeFileSync(path.join(RESULTS, 'segment.md'), report(result));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    server.send('stop');
    await new Promise((resolve) => (server.exitCode !== null ? resolve(null) : server.once('exit', resolve)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function report(r: SegmentBenchResult): string {
  return [
    `# Segment batch ingest beside the native batch path (${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version})`,
    '',
    `${r.clients} concurrent clients, ${r.eventsPerBatch} events a batch, ${r.batchesPerClientPerPhase} batches a client per phase (${r.eventsPerPhase} events), ${r.repetitions} repetitions alternating the paths; medians over repetitions. One server (the built main.js) on an empty SQLite store with a mapping file; projections caught up before each phase.`,
    '',
    `Mix (% of messages): ${Object.entries(r.mix)
      .map(([kind, share]) => `${kind} ${share}`)
      .join(', ')}. A batch is ${Math.round(r.segmentBatchBytes / 1024)} KiB as Segment messages, ${Math.round(r.nativeBatchBytes / 1024)} KiB as wire events.`,
    '',
    '| path | events/s (median) | p99 request ms (median of reps) | p50 / p99 ms over all requests | server RSS peak during its phases |',
    '|---|---|---|---|---|',
    `| Segment \`POST /v1/batch\` | ${r.segment.eventsPerSecond} | ${r.segment.p99Ms} | ${r.segment.pooledP50Ms} / ${r.segment.pooledP99Ms} | ${r.segment.peakRssMiB} MiB |`,
    `| native \`POST /api/v1/events/batch\` | ${r.native.eventsPerSecond} | ${r.native.p99Ms} | ${r.native.pooledP50Ms} / ${r.native.pooledP99Ms} | ${r.native.peakRssMiB} MiB |`,
    `| ratio segment / native | ${r.ratio.eventsPerSecond} (median of the repetitions' own ratios: ${r.ratio.eventsPerSecondMedianOfRepetitions}; each: ${r.ratio.eventsPerSecondByRepetition.join(', ')}) | ${r.ratio.p99} | | |`,
    '',
    `Machine speed: the fixed calibration work of run.ts took ${r.calibrationMs} ms (lower is faster; compare runs only next to it).`,
    '',
    `Server peak RSS over the whole run (VmHWM): ${r.serverPeakRssMiB} MiB. Events/s by repetition: segment ${r.segment.eventsPerSecondByRepetition.join(', ')}; native ${r.native.eventsPerSecondByRepetition.join(', ')}. Took ${r.seconds} s.`,
    '',
  ].join('\n');
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
