import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import autocannon from 'autocannon';
import { seededRandom } from '@journeyline/demo';
import { writePathReport, type WritePathResult } from './write-path/write-path-report';
import { calibrate } from './calibration';

/**
 * npm run bench: builds (once) a log of ≥ 1,000,000 events for 100,000 customers, then measures
 * in one run: projection rebuild rate, p50/p99 latency of the journey, metrics and
 * worst-touchpoints queries under concurrent load, HTTP batch ingest, `journeyline import` of a
 * 1,000,000-row CSV beside the same rows as NDJSON (BENCH_IMPORT_ROWS to size it down), Segment
 * batch ingest beside the native batch path in the same run (segment.bench.ts), and the
 * optional sections (PostgreSQL, Kafka) when their services are reachable. Each measured part runs in its own
 * process so its peak RSS is its own. Writes bench/results/latest.json and latest.md.
 */
/** `npm run bench` runs the production build (dist/bench/run.js), as `npm start` does; run.ts under swc-node still works for a quick look. */
const COMPILED = __filename.endsWith('.js');
const ROOT = path.resolve(__dirname, COMPILED ? '../..' : '..');
const DATA = process.env.BENCH_DIR ?? path.join(ROOT, 'bench', '.data', 'sqlite-100k');
const RESULTS = path.join(ROOT, 'bench', 'results');
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 4);
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 100_000);
/** BENCH_AS_OF=0: no as-of snapshot ladder and no as-of reads (the server runs with snapshots off), for data too large to snapshot in a run (BENCH_CUSTOMERS=1000000). */
const AS_OF = process.env.BENCH_AS_OF !== '0';
/** BENCH_RESULTS_NAME: the results' file names in bench/results (default latest: latest.json and latest.md). */
const RESULTS_NAME = process.env.BENCH_RESULTS_NAME ?? 'latest';
/** The admin key the benchmark's servers start with (JOURNEYLINE_ADMIN_KEY); every request carries it. */
const KEY = (process.env.BENCH_KEY ??= 'journeyline-benchmark-admin-key-0001');
const AUTH = { authorization: `Bearer ${KEY}` };

interface Results {
  machine: { cpus: number; node: string; date: string; calibrationMs?: number };
  data?: unknown;
  rebuild?: { events: number; seconds: number; eventsPerSecond: number; peakRssMiB: number };
  queries?: Record<string, { requests: number; p50: number; p99: number; rps: number; errors: number }>;
  server?: { peakRssMiB: number; phases?: Record<string, { peakRssMiB: number; rssMiB: number }> };
  ingest?: Record<string, unknown>;
  sections: Record<string, unknown>;
}

function child(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): ChildProcess {
  return fork(path.join(__dirname, COMPILED ? script.replace(/\.ts$/, '.js') : script), args, {
    execArgv: [...nodeArgs, ...(COMPILED ? [] : ['-r', '@swc-node/register'])],
    env: { ...process.env, ...env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
}

function runToJson<T>(script: string, args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const proc = child(script, args, env, nodeArgs);
    let out = '';
    proc.stdout!.on('data', (chunk) => (out += chunk));
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`${script} exited with ${code}`))));
  });
}

async function load(url: string, title: string, path: () => string): Promise<{ requests: number; p50: number; p99: number; rps: number; errors: number }> {
  process.stderr.write(`bench: ${title} for ${DURATION}s with ${CONNECTIONS} connections\n`);
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    headers: AUTH,
    requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, path: path() }) }],
  });
  return {
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: Math.round(result.requests.average),
    errors: result.errors + result.non2xx,
  };
}

/**
 * Waits until the server's as-of snapshot ladders (both sets) reach the end of the log (the newest
 * within JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS of the head), so no measure runs beside the builder. The
 * ladder is kept in the data directory: only the first run on new data (or new projection
 * versions) builds it. Returns the build wait and the ladder's size on disk.
 */
async function asOfLadderBuilt(
  events: number,
): Promise<{ waitedSeconds: number; snapshots: Record<string, { kept: number; newestMiB: number; allMiB: number }> }> {
  const every = Number(process.env.JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS ?? 10_000);
  const started = Date.now();
  const ladder = (set: string) => {
    const dir = path.join(DATA, 'as-of-snapshots', set);
    const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => /^\d+\.db$/.test(name)) : [];
    const sizes = found.map((name) => fs.statSync(path.join(dir, name)).size);
    const newest = Math.max(0, ...found.map((name) => Number(name.replace('.db', ''))));
    return {
      newest,
      kept: found.length,
      newestMiB: Math.round(Math.max(0, ...sizes) / 2 ** 20),
      allMiB: Math.round(sizes.reduce((a, b) => a + b, 0) / 2 ** 20),
    };
  };
  process.stderr.write('bench: waiting for the as-of snapshot ladders\n');
  while (every > 0 && ['customers', 'metrics'].some((set) => events - ladder(set).newest >= every)) {
    if (Date.now() - started > 30 * 60_000) throw new Error('the as-of snapshot ladders were not built within 30 minutes');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const snapshots = Object.fromEntries(['customers', 'metrics'].map((set) => [set, (({ newest: _, ...rest }) => rest)(ladder(set))]));
  return { waitedSeconds: Math.round((Date.now() - started) / 1000), snapshots };
}

/** The recorded time of the event at each place of the log (0: its start, 1: its head), as epoch ms. */
function recordedAtPlaces(places: readonly number[]): number[] {
  const Database = require('better-sqlite3');
  const db = new Database(path.join(DATA, 'journeyline.db'), { readonly: true });
  try {
    const head: number = db.prepare('SELECT MAX(position) FROM events').pluck().get();
    const recordedAt = db.prepare('SELECT recorded_at FROM events WHERE position >= ? ORDER BY position LIMIT 1').pluck();
    return places.map((place) => Date.parse(recordedAt.get(Math.max(1, Math.min(head, Math.round(place * head))))));
  } finally {
    db.close();
  }
}

type AsOfReadsResult = { requests: number; p50: number; p99: number; rps: number; errors: number; paths: Record<string, number> };

/**
 * As-of reads one after another (one client: each replays, a flood would only queue behind it),
 * the customer list and the funnel in turn, at the moments given; p50/p99 and the paths that
 * answered.
 */
async function asOfReadsAt(url: string, moments: number[]): Promise<AsOfReadsResult> {
  const latencies: number[] = [];
  const paths: Record<string, number> = {};
  let errors = 0;
  const started = Date.now();
  for (const [i, moment] of moments.entries()) {
    const asOf = new Date(moment).toISOString();
    const read = i % 2 ? '/api/v1/customers?limit=50' : '/api/v1/funnel?window=2026-07-02..2026-09-30';
    const t = performance.now();
    const response = await fetch(`${url}${read}&asOf=${encodeURIComponent(asOf)}`, { headers: AUTH });
    const body = (await response.json()) as { asOf?: { path: string } };
    latencies.push(performance.now() - t);
    if (response.status !== 200) errors++;
    else paths[body.asOf?.path ?? 'none'] = (paths[body.asOf?.path ?? 'none'] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]);
  return { requests: moments.length, p50: at(0.5), p99: at(0.99), rps: Number((moments.length / ((Date.now() - started) / 1000)).toFixed(2)), errors, paths };
}

/**
 * BENCH_AS_OF_READS (default 40) reads at random moments of the log: the recorded times of events
 * at random places in it, so nearly every one a moment the server has not kept. Random places, not
 * random instants between its first and last recorded time: the generated log is recorded within a
 * few minutes and a server started on it records its own few events later, so random instants
 * would fall mostly in the quiet stretch after it, which a kept moment answers as it is. The places
 * are drawn from BENCH_AS_OF_SEED (default 1): a read's cost is mostly the stretch of log it
 * replays, so two runs (or two builds) compare only at the same places.
 */
function asOfReads(url: string): Promise<AsOfReadsResult> {
  const reads = Number(process.env.BENCH_AS_OF_READS ?? 40);
  process.stderr.write(`bench: ${reads} as-of reads (customer list / funnel) at random moments\n`);
  return asOfReadsAt(url, recordedAtPlaces(Array.from({ length: reads }, asOfRandom)));
}

/** The as-of reads' random places (see asOfReads). */
const asOfRandom = seededRandom(Number(process.env.BENCH_AS_OF_SEED ?? 1));

/**
 * A dashboard stepping forward in time ("as known on" the next day, and the next): BENCH_AS_OF_READS
 * ÷ 2 moments, from an event at a random place in the log's first half, each the recorded time of
 * the event 1% of the log further on, so each may start from the read models kept for the moment
 * before.
 */
function asOfSteppingForward(url: string): Promise<AsOfReadsResult> {
  const reads = Math.max(2, Math.round(Number(process.env.BENCH_AS_OF_READS ?? 40) / 2));
  const from = asOfRandom() / 2;
  const moments = recordedAtPlaces(Array.from({ length: reads }, (_, i) => from + (i + 1) / 100));
  process.stderr.write(`bench: ${reads} as-of reads (customer list / funnel) stepping forward 1% of the log at a time\n`);
  return asOfReadsAt(url, moments);
}

async function main(): Promise<void> {
  fs.mkdirSync(RESULTS, { recursive: true });
  const results: Results = {
    machine: { cpus: require('node:os').cpus().length, node: process.version, date: new Date().toISOString(), calibrationMs: calibrate() },
    sections: {},
  };
  const meta = path.join(DATA, 'meta.json');
  if (!fs.existsSync(meta) || JSON.parse(fs.readFileSync(meta, 'utf8')).customers !== CUSTOMERS) {
    fs.rmSync(DATA, { recursive: true, force: true });
    process.stderr.write(`bench: generating ${CUSTOMERS} customers into ${DATA} (once; cached)\n`);
    // the generator holds every command in memory before sorting them by time (8.8M for 1,000,000 customers: some 6 GiB); its memory is not measured
    const data = await runToJson<{ customers: number }>('bench-data.ts', [DATA], { BENCH_CUSTOMERS: String(CUSTOMERS) }, ['--max-old-space-size=16384']);
    fs.writeFileSync(meta, JSON.stringify(data));
  }
  results.data = JSON.parse(fs.readFileSync(meta, 'utf8'));

  process.stderr.write('bench: rebuilding all projections\n');
  results.rebuild = await runToJson('rebuild.bench.ts', [DATA]);

  const server = child('serve.bench.ts', [DATA], AS_OF ? {} : { JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS: '0' });
  const port = await new Promise<number>((resolve, reject) => {
    server.stdout!.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
    server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  // the server's peak RSS in each phase (its start and catch-up, the ladder, each query load), then the whole run's
  const phases: Record<string, { peakRssMiB: number; rssMiB: number }> = {};
  const phaseRss = (phase: string) =>
    new Promise<void>((resolve) => {
      server.once('message', (message) => resolve(void (phases[phase] = message as { peakRssMiB: number; rssMiB: number })));
      server.send('rss-reset');
    });
  const measured = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const result = await work();
    await phaseRss(phase);
    return result;
  };
  await phaseRss('start and catch-up');
  if (AS_OF) results.sections.asOfLadder = await measured('as-of snapshot ladder', () => asOfLadderBuilt((results.data as { events: number }).events));
  const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)];
  const customer = () => `c-${String(1 + Math.floor(Math.random() * CUSTOMERS)).padStart(6, '0')}`;
  // 7, 30 or 90 days ending inside the generated data (which spans December 2025 to autumn 2026)
  const window = () => pick(['window=2026-09-23..2026-09-30', 'window=2026-08-31..2026-09-30', 'window=2026-07-02..2026-09-30']);
  // Windows of 7 to 90 days ending on any day from March to September 2026: about 200,000
  // distinct queries, so nearly every one misses the server's metrics cache and sums buckets.
  const anyWindow = () => {
    const end = Date.UTC(2026, 2, 1) + Math.floor(Math.random() * 214) * 86_400_000;
    const start = end - (6 + Math.floor(Math.random() * 84)) * 86_400_000;
    return `window=${new Date(start).toISOString().slice(0, 10)}..${new Date(end).toISOString().slice(0, 10)}`;
  };
  const metricsQuery = (windowOf: () => string) => () =>
    `/api/v1/metrics?metric=${pick(['nps', 'csat', 'ces', 'ttr'])}&by=${pick(['touchpoint', 'channel', 'stage'])}&${windowOf()}`;
  // Cuts (cx-cuts): two dimensions, a place filter, a portrait filter (the demo's segments, regions, age bands)
  const cutQuery = (windowText: string) => {
    const metric = pick(['nps', 'csat', 'ces', 'ttr']);
    const cut = pick([
      'by=touchpoint,stage',
      'by=channel,stage',
      'by=touchpoint&stage=use',
      'by=stage&segment=SME',
      'by=touchpoint,stage&region=Hà Nội',
      'by=touchpoint&ageBand=25-34',
    ]);
    return `/api/v1/${pick(['metrics', 'touchpoints/worst'])}?metric=${metric}&${encodeURI(cut)}&${windowText}`;
  };
  // Funnel and retention (journey-days): no filter, a split, one portrait or place filter; every window different
  const journeyQuery = () => {
    const filter = pick([
      '',
      'split=segment',
      'segment=SME',
      'region=Hà Nội',
      'ageBand=25-34',
      'acquisitionChannel=social',
      'touchpoint=hotline',
      'channel=store',
      'stage=purchase',
    ]);
    // retention takes no split
    const read = filter.startsWith('split') ? 'funnel' : pick(['funnel', 'retention']);
    return `/api/v1/${read}?${encodeURI(filter)}&${anyWindow()}`;
  };
  results.queries = {
    journey: await measured('journey', () => load(url, 'journey', () => `/api/v1/customers/${customer()}/journey`)),
    metrics: await measured('metrics', () => load(url, 'metrics', metricsQuery(window))),
    metricsUncached: await measured('metricsUncached', () => load(url, 'metrics, every window different (cache misses)', metricsQuery(anyWindow))),
    worstTouchpoints: await measured('worstTouchpoints', () =>
      load(url, 'worst touchpoints', () => `/api/v1/touchpoints/worst?metric=${pick(['nps', 'csat', 'ces', 'ttr'])}&${window()}`),
    ),
    cutsUncached: await measured('cutsUncached', () =>
      load(url, 'cuts (two dimensions, place and portrait filters), every window different', () => cutQuery(anyWindow())),
    ),
    funnelRetentionFiltered: await measured('funnelRetentionFiltered', () =>
      load(url, 'funnel and retention (no filter, split, a portrait or place filter), every window different', () => journeyQuery()),
    ),
    ...(AS_OF ? { asOfRandomMoments: await measured('asOfRandomMoments', () => asOfReads(url)) } : {}),
    ...(AS_OF ? { asOfSteppingForward: await measured('asOfSteppingForward', () => asOfSteppingForward(url)) } : {}),
  };
  results.server = { peakRssMiB: Math.max(...Object.values(phases).map((phase) => phase.peakRssMiB)), phases };
  server.send('stop');
  await new Promise((resolve) => server.once('exit', resolve));

  // Ingest goes to a server on an empty store of its own, so the cached log stays as generated.
  const ingestDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'journeyline-bench-ingest-'));
  const ingestServer = child('serve.bench.ts', [ingestDir]);
  const ingestPort = await new Promise<number>((resolve, reject) => {
    ingestServer.stdout!.once('data', (chunk) => resolve(JSON.parse(String(chunk)).port));
    ingestServer.once('exit', (code) => reject(new Error(`ingest server exited with ${code}`)));
  });
  results.ingest = { httpBatch: await httpBatchIngest(`http://127.0.0.1:${ingestPort}`) };
  ingestServer.send('stop');
  await new Promise((resolve) => ingestServer.once('exit', resolve));
  fs.rmSync(ingestDir, { recursive: true, force: true });

  const sections: Record<string, () => Promise<unknown>> = {
    postgres: () => runToJson('postgres.bench.ts', [DATA]),
    // Segment's POST /v1/batch beside the native batch path, 8 clients, 500-event batches, on a server of its own (also writes segment.json/.md)
    segment: () => runToJson('segment.bench.ts', []),
    // the write path side by side with the raw SQLite floor and Emmett, 5 interleaved repetitions, and its growth to 1M events (also writes write-path.json/.md)
    writePath: () => runToJson('write-path.bench.ts', process.argv.includes('--large') ? ['--large'] : []),
    // the churn-risk process judging every customer of the log (a change of rules), its steps now and as they were, side by side
    churnRisk: () => runToJson('churn-risk.bench.ts', [DATA]),
    // `journeyline import` of BENCH_IMPORT_ROWS rows (default 1,000,000): a Vietnamese-Excel CSV beside the same rows as NDJSON
    import: () => runToJson('import.bench.ts', []),
    // each Kafka measurement in a process of its own, so each peak RSS is its own
    kafka: async () => ({
      ingestOnly: await runToJson('kafka.bench.ts', ['ingest-only']),
      withProjections: await runToJson('kafka.bench.ts', ['with-projections']),
    }),
  };
  // BENCH_SECTIONS=postgres,segment picks sections (none: only the core measures above)
  const picked = process.env.BENCH_SECTIONS?.split(',').map((s) => s.trim());
  for (const [section, run] of Object.entries(sections).filter(([name]) => !picked || picked.includes(name))) {
    try {
      process.stderr.write(`bench: ${section}\n`);
      results.sections[section] = await run();
    } catch (error) {
      results.sections[section] = { skipped: `${section} benchmark failed or its service is unreachable: ${(error as Error).message}` };
    }
  }

  const kafka = results.sections.kafka as { ingestOnly?: { eventsPerSecond: number } } | undefined;
  const http = results.ingest?.httpBatch as { eventsPerSecond: number } | undefined;
  if (kafka?.ingestOnly && http)
    results.sections.kafkaVersusHttp = {
      kafkaEventsPerSecond: kafka.ingestOnly.eventsPerSecond,
      httpBatchEventsPerSecond: http.eventsPerSecond,
      ratio: Number((kafka.ingestOnly.eventsPerSecond / http.eventsPerSecond).toFixed(2)),
      target: 30_000,
    };
  fs.writeFileSync(path.join(RESULTS, `${RESULTS_NAME}.json`), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, `${RESULTS_NAME}.md`), report(results));
  process.stdout.write(report(results));
}

/** Posts fresh 1,000-event batches for new customers as fast as one client can, for DURATION seconds. */
async function httpBatchIngest(url: string) {
  const started = Date.now();
  let events = 0;
  let batch = 0;
  const latencies: number[] = [];
  while (Date.now() - started < DURATION * 1000) {
    const body = {
      events: Array.from({ length: 1000 }, (_, i) => ({
        eventId: `ingest-${batch}-${i}`,
        type: 'touchpoint.visited',
        customerId: `ingest-${batch}-${i % 250}`,
        occurredAt: new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString(),
        data: { touchpoint: 'web:pricing', channel: 'web', stage: i % 2 ? 'evaluation' : 'awareness' },
      })),
    };
    const t = Date.now();
    const response = await fetch(`${url}/api/v1/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...AUTH },
      body: JSON.stringify(body),
    });
    if (response.status !== 200) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    latencies.push(Date.now() - t);
    events += 1000;
    batch++;
  }
  latencies.sort((a, b) => a - b);
  return {
    events,
    eventsPerSecond: Math.round(events / ((Date.now() - started) / 1000)),
    batchP50Ms: latencies[Math.floor(latencies.length / 2)],
    batchP99Ms: latencies[Math.floor(latencies.length * 0.99)],
  };
}

/** A row of the as-of reads: p50 / p99, and which paths answered them. */
function asOfRow(title: string, reads: { p50: number; p99: number; requests: number; errors: number; paths?: Record<string, number> }): string {
  const paths = Object.entries(reads.paths ?? {})
    .map(([path, n]) => `${path}: ${n}`)
    .join(', ');
  return `| ${title} p50 / p99 | ${reads.p50} / ${reads.p99} ms (${reads.requests} reads, ${reads.errors} errors; ${paths}) | (none) | |`;
}

const TARGETS = { rebuildEventsPerSecond: 100_000, journeyP99: 5, metricsP99: 10, rssMiB: 512 };

function report(r: Results): string {
  const q = r.queries ?? {};
  const ratio = (value: number, target: number, higherBetter = true) => (higherBetter ? value / target : target / value).toFixed(2);
  const lines = [
    `# Journeyline benchmark (${r.machine.date}, ${r.machine.cpus} cores, Node ${r.machine.node})`,
    '',
    `Machine speed: the fixed calibration work took ${r.machine.calibrationMs} ms (lower is faster; compare results of different days only next to it).`,
    '',
    `Data: ${JSON.stringify(r.data)}`,
    '',
    '| measure | value | target (issue) | ratio to target (>1 is better) |',
    '|---|---|---|---|',
    `| projection rebuild | ${r.rebuild?.eventsPerSecond} events/s (${r.rebuild?.events} events in ${r.rebuild?.seconds.toFixed(1)} s) | ≥ ${TARGETS.rebuildEventsPerSecond} | ${ratio(r.rebuild!.eventsPerSecond, TARGETS.rebuildEventsPerSecond)} |`,
    `| journey query p50 / p99 | ${q.journey?.p50} / ${q.journey?.p99} ms (${q.journey?.rps} req/s, ${q.journey?.errors} errors) | p99 ≤ ${TARGETS.journeyP99} ms | ${ratio(q.journey!.p99, TARGETS.journeyP99, false)} |`,
    `| metrics query p50 / p99 | ${q.metrics?.p50} / ${q.metrics?.p99} ms (${q.metrics?.rps} req/s, ${q.metrics?.errors} errors) | p99 ≤ ${TARGETS.metricsP99} ms | ${ratio(q.metrics!.p99, TARGETS.metricsP99, false)} |`,
    `| metric cuts (by=a,b, place and portrait filters), windows all different p50 / p99 | ${q.cutsUncached?.p50} / ${q.cutsUncached?.p99} ms (${q.cutsUncached?.rps} req/s, ${q.cutsUncached?.errors} errors) | p99 ≤ ${TARGETS.metricsP99} ms | ${q.cutsUncached ? ratio(q.cutsUncached.p99, TARGETS.metricsP99, false) : ''} |`,
    `| funnel / retention (no filter, split, portrait or place filter; every window different) p50 / p99 | ${q.funnelRetentionFiltered?.p50} / ${q.funnelRetentionFiltered?.p99} ms (${q.funnelRetentionFiltered?.rps} req/s) | | |`,
    `| metrics query, windows all different (cache misses) p50 / p99 | ${q.metricsUncached?.p50} / ${q.metricsUncached?.p99} ms (${q.metricsUncached?.rps} req/s, ${q.metricsUncached?.errors} errors) | p99 ≤ ${TARGETS.metricsP99} ms | ${ratio(q.metricsUncached!.p99, TARGETS.metricsP99, false)} |`,
    q.asOfRandomMoments
      ? asOfRow('as-of reads (customer list / funnel, random moments, one client; snapshot ladder built)', q.asOfRandomMoments)
      : '| as-of reads | not run (BENCH_AS_OF=0: no snapshot ladder) | | |',
    ...(q.asOfSteppingForward
      ? [asOfRow('as-of reads stepping forward (each moment 1% of the log after the one before; one client)', q.asOfSteppingForward)]
      : []),
    `| worst touchpoints p50 / p99 | ${q.worstTouchpoints?.p50} / ${q.worstTouchpoints?.p99} ms (${q.worstTouchpoints?.rps} req/s) | (none) | |`,
    `| peak RSS, rebuild process | ${r.rebuild?.peakRssMiB} MiB | ≤ ${TARGETS.rssMiB} MiB | ${ratio(r.rebuild!.peakRssMiB, TARGETS.rssMiB, false)} |`,
    `| peak RSS, server under load | ${r.server?.peakRssMiB} MiB | ≤ ${TARGETS.rssMiB} MiB | ${ratio(r.server!.peakRssMiB, TARGETS.rssMiB, false)} |`,
    `| server peak RSS by phase (MiB; RSS at its end) | ${Object.entries(r.server?.phases ?? {})
      .map(([phase, { peakRssMiB, rssMiB }]) => `${phase} ${peakRssMiB} (${rssMiB})`)
      .join(', ')} | | |`,
    `| HTTP batch ingest (1 client, 1,000-event batches) | ${JSON.stringify(r.ingest?.httpBatch)} | | |`,
    '',
    `Query load: ${CONNECTIONS} concurrent connections for ${DURATION} s each (autocannon), random customers, metrics, dimensions and 7/30/90-day windows (answers the server caches while the metrics read model stays put, as a dashboard's repeated queries are), then windows of any length and end day (nearly all cache misses).`,
    '',
    ...Object.entries(r.sections).map(([name, value]) =>
      name === 'writePath' && (value as WritePathResult).rows
        ? `## ${name}\n\n${writePathReport(value as WritePathResult)
            .replace(/^## /gm, '#### ')
            .replace(/^# /, '### ')}`
        : `## ${name}\n\n\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\`\n`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
