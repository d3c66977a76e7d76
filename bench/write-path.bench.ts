import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CustomerCommand } from '@journeyline/journey';
import { calibrate } from './calibration';
import { median } from './median';
import { batchesOf, benchEvents, writerBatches } from './write-path/bench-events';
import { emmettPostgres, emmettSqlite } from './write-path/emmett-paths';
import { growth } from './write-path/growth';
import { httpBatch } from './write-path/http-path';
import { postgresAdapter, postgresWritePath, reachable } from './write-path/postgres-paths';
import { cpuProfileSummary, profilePath } from './write-path/profile';
import { adapterWriter, floorWriter, timedRun, writePathWriter, type PathRun } from './write-path/sqlite-paths';
import { writePathReport, type PathKey, type PathRow, type WritePathResult } from './write-path/write-path-report';

/**
 * The write path measured side by side (issue 19), in one process: the floor (raw better-sqlite3
 * inserts of the same rows), the SQLite adapter's append, recordCustomerEvents (customers in random
 * order, and time-ordered), HTTP batches with projections running, Emmett's SQLite store, and on
 * PostgreSQL our adapter and write path beside Emmett's store, 8 writers each; then the cost per
 * event as the log grows to 1M events (10M with --large).
 *
 * Writes bench/results/write-path.json and write-path.md, and prints its result as one JSON line
 * (run.ts's `writePath` section). Alone: `SWC_NODE_PROJECT=tsconfig.json node -r
 * @swc-node/register bench/write-path.bench.ts`, or after `npm run build:server`,
 * `node dist/bench/write-path.bench.js`. About 12 minutes on 2 cores.
 *
 * Knobs: BENCH_WRITE_EVENTS (100000), BENCH_WRITE_CUSTOMERS (events / 10), BENCH_WRITE_REPETITIONS
 * (5), BENCH_WRITE_PATHS (a comma list of path keys; default all; `none` for the growth run alone),
 * BENCH_WRITE_GROWTH (events of the growth run, 1000000; 0 skips it), BENCH_WRITE_RESULTS_NAME
 * (write-path), BENCH_POSTGRES_URL. `--profile <path>` runs one path once
 * with its phases timed instead (run it under `node --cpu-prof`); `--summarize <file.cpuprofile>`
 * prints the top functions of such a profile.
 */
const COMPILED = __filename.endsWith('.js');
const ROOT = path.resolve(__dirname, COMPILED ? '../..' : '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const EVENTS = Number(process.env.BENCH_WRITE_EVENTS ?? 100_000);
const CUSTOMERS = Number(process.env.BENCH_WRITE_CUSTOMERS ?? Math.round(EVENTS / 10));
const REPETITIONS = Number(process.env.BENCH_WRITE_REPETITIONS ?? 5);
const LARGE = process.argv.includes('--large');
const GROWTH = Number(process.env.BENCH_WRITE_GROWTH ?? (LARGE ? 10_000_000 : 1_000_000));
const POSTGRES = { connectionString: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test' };
/** BENCH_WRITE_RESULTS_NAME: the results' file names in bench/results (default write-path), e.g. for a growth run alone. */
const RESULTS_NAME = process.env.BENCH_WRITE_RESULTS_NAME ?? 'write-path';
const BATCH = 1000;
const WRITERS = 8;

interface PathSpec {
  key: PathKey;
  label: string;
  store: 'sqlite' | 'postgres';
  emmett: PathKey | null;
  floorTarget?: number;
  emmettTarget?: number;
  run: () => Promise<PathRun>;
  /** A few batches through the same path before the repetitions (JIT, caches); null: the path warms itself up. */
  warm: (() => Promise<unknown>) | null;
}

function log(line: string): void {
  process.stderr.write(`bench: ${line}\n`);
}

function paths(random: CustomerCommand[][], timeOrdered: CustomerCommand[][], lanes: CustomerCommand[][][]): PathSpec[] {
  const few = random.slice(0, 5);
  const fewLanes = writerBatches(few.flat(), WRITERS, BATCH / 10);
  return [
    {
      key: 'floor',
      label: 'raw better-sqlite3 inserts, 1,000 rows a transaction, synchronous=NORMAL (the floor)',
      store: 'sqlite',
      emmett: 'emmettSqlite',
      run: () => timedRun('floor', floorWriter, random),
      warm: () => timedRun('floor', floorWriter, few),
    },
    {
      key: 'adapter',
      label: "the SQLite adapter's `append` alone",
      store: 'sqlite',
      emmett: 'emmettSqlite',
      floorTarget: 0.8,
      emmettTarget: 1.5,
      run: () => timedRun('adapter', adapterWriter, random),
      warm: () => timedRun('adapter', adapterWriter, few),
    },
    {
      key: 'writePath',
      label: '`recordCustomerEvents`, customers in random order (about 100 a batch)',
      store: 'sqlite',
      emmett: 'emmettSqlite',
      floorTarget: 0.5,
      run: () => timedRun('write-path', writePathWriter, random),
      warm: () => timedRun('write-path', writePathWriter, few),
    },
    {
      key: 'writePathTimeOrdered',
      label: '`recordCustomerEvents`, time-ordered arrival (about 1 event a customer a batch)',
      store: 'sqlite',
      emmett: 'emmettSqlite',
      floorTarget: 0.5,
      run: () => timedRun('write-path', writePathWriter, timeOrdered),
      warm: () => timedRun('write-path', writePathWriter, timeOrdered.slice(0, 5)),
    },
    {
      key: 'http',
      label: 'HTTP `POST /api/v1/events/batch`, 8 clients, projections running',
      store: 'sqlite',
      emmett: 'emmettSqlite',
      floorTarget: 0.35,
      run: () => httpBatch(lanes),
      warm: null,
    },
    {
      key: 'emmettSqlite',
      label: 'Emmett SQLite 0.42, low-level `appendToStream` on one connection, a batch a transaction (its fastest path)',
      store: 'sqlite',
      emmett: null,
      run: () => emmettSqlite(random),
      warm: () => emmettSqlite(few),
    },
    {
      key: 'postgresAdapter',
      label: "PostgreSQL: our adapter's `append`, 8 writers",
      store: 'postgres',
      emmett: 'emmettPostgres',
      emmettTarget: 1.5,
      run: () => postgresAdapter(POSTGRES, lanes),
      warm: () => postgresAdapter(POSTGRES, fewLanes),
    },
    {
      key: 'postgresWritePath',
      label: 'PostgreSQL: `recordCustomerEvents`, 8 writers',
      store: 'postgres',
      emmett: 'emmettPostgres',
      emmettTarget: 1.5,
      run: () => postgresWritePath(POSTGRES, lanes),
      warm: () => postgresWritePath(POSTGRES, fewLanes),
    },
    {
      key: 'emmettPostgres',
      label: 'PostgreSQL: Emmett 0.42 store API `appendToStream`, 8 writers',
      store: 'postgres',
      emmett: null,
      run: () => emmettPostgres(POSTGRES, lanes),
      warm: () => emmettPostgres(POSTGRES, fewLanes),
    },
  ];
}

async function main(): Promise<void> {
  const summarize = process.argv.indexOf('--summarize');
  if (summarize > 0) {
    process.stdout.write(`${JSON.stringify(cpuProfileSummary(process.argv[summarize + 1]), null, 2)}\n`);
    return;
  }
  const began = Date.now();
  const calibrationMs = calibrate();
  log(`write path: generating ${EVENTS} events for ${CUSTOMERS} customers`);
  const events = benchEvents(EVENTS, CUSTOMERS);
  const random = batchesOf(events.random, BATCH);
  const timeOrdered = batchesOf(events.timeOrdered, BATCH);
  const lanes = writerBatches(events.random, WRITERS, BATCH);

  const profile = process.argv.indexOf('--profile');
  if (profile > 0) {
    const key = process.argv[profile + 1];
    const batches = key === 'writePathTimeOrdered' ? timeOrdered : random;
    await profilePath(key, batches.slice(0, 5)); // warm-up
    process.stdout.write(`${JSON.stringify({ calibrationMs, ...(await profilePath(key, batches)) })}\n`);
    return;
  }

  const picked = process.env.BENCH_WRITE_PATHS?.split(',').map((s) => s.trim());
  const postgresDown = await reachable(POSTGRES);
  const all = paths(random, timeOrdered, lanes).filter((p) => !picked || picked.includes(p.key));
  const runnable = all.filter((p) => p.store === 'sqlite' || postgresDown === null);
  for (const spec of runnable) {
    if (!spec.warm) continue;
    log(`write path: warming up ${spec.key}`);
    await spec.warm();
  }

  const runs = new Map<PathKey, PathRun[]>(runnable.map((p) => [p.key, []]));
  const orders: PathKey[][] = [];
  for (let rep = 0; rep < REPETITIONS; rep++) {
    const order = runnable.map((_, i) => runnable[(i + rep) % runnable.length]);
    orders.push(order.map((p) => p.key));
    for (const spec of order) {
      const run = await spec.run();
      runs.get(spec.key)!.push(run);
      const cpu = run.cpuSeconds ? `, ${Math.round(run.events / run.cpuSeconds)} per CPU-second` : '';
      log(`write path: repetition ${rep + 1} ${spec.key}: ${Math.round(run.events / run.seconds)} events/s${cpu} (${run.storedRows} rows)`);
    }
  }

  const rate = (run: PathRun) => run.events / run.seconds;
  const cpuRate = (run: PathRun) => (run.cpuSeconds ? run.events / run.cpuSeconds : NaN);
  const ratio = (key: PathKey, other: PathKey | null, of = rate) => {
    const mine = runs.get(key);
    const theirs = other ? runs.get(other) : undefined;
    if (!mine || !theirs) return null;
    const value = median(mine.map((run, i) => of(run) / of(theirs[i])));
    return Number.isFinite(value) ? Number(value.toFixed(3)) : null;
  };
  const rows: PathRow[] = all.map((spec) => {
    const base = {
      key: spec.key,
      label: spec.label,
      store: spec.store,
      emmettPath: spec.emmett,
      floorTarget: spec.floorTarget,
      emmettTarget: spec.emmettTarget,
    };
    const mine = runs.get(spec.key);
    if (!mine)
      return {
        ...base,
        eventsPerSecond: 0,
        eventsPerSecondByRepetition: [],
        rowsPerEvent: 0,
        toFloor: 0,
        eventsPerCpuSecond: null,
        toFloorCpu: null,
        toEmmett: null,
        skipped: `PostgreSQL unreachable: ${postgresDown}`,
      };
    const perCpuSecond = median(mine.map(cpuRate));
    return {
      ...base,
      eventsPerSecond: Math.round(median(mine.map(rate))),
      eventsPerCpuSecond: Number.isFinite(perCpuSecond) ? Math.round(perCpuSecond) : null,
      toFloorCpu: ratio(spec.key, 'floor', cpuRate),
      eventsPerSecondByRepetition: mine.map((run) => Math.round(rate(run))),
      rowsPerEvent: Number((mine[0].storedRows / mine[0].events).toFixed(2)),
      toFloor: ratio(spec.key, 'floor') ?? 0,
      toEmmett: ratio(spec.key, spec.emmett),
      ...(mine.every((run) => run.caughtUpSeconds !== undefined)
        ? {
            caughtUp: {
              eventsPerSecond: Math.round(median(mine.map((run) => run.events / run.caughtUpSeconds!))),
              secondsByRepetition: mine.map((run) => Number(run.caughtUpSeconds!.toFixed(1))),
            },
          }
        : {}),
    };
  });

  let grown: WritePathResult['growth'] = null;
  if (GROWTH > 0) {
    log(`write path: growth to ${GROWTH} events`);
    grown = await growth(GROWTH, BATCH, log);
  }

  const result: WritePathResult = {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    node: process.version,
    calibrationMs,
    events: EVENTS,
    customers: events.customers,
    batchSize: BATCH,
    writers: WRITERS,
    repetitions: REPETITIONS,
    wireBytes: events.wireBytes,
    dataBytes: events.dataBytes,
    orders,
    rows,
    growth: grown,
    seconds: Math.round((Date.now() - began) / 1000),
  };
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, `${RESULTS_NAME}.json`), `${JSON.stringify(result, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS, `${RESULTS_NAME}.md`), writePathReport(result));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
