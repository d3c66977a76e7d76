import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import { Pool } from 'pg';
import { appendRequestsFor, PostgresEventStore, SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { limitHeapGrowth } from '@journeyline/platform';
import { ChurnRiskProcess, SqliteReadModelDatabase, type ChurnRiskProcessOptions } from '@journeyline/projections';
import { calibrate } from './calibration';
import { median } from './median';

/**
 * The churn-risk process judging every customer of the cached log, as after a change of rules or
 * a first start (its own checkpoint at 0), with read models of its own and the clock at the
 * generated data's "now": on a copy of the SQLite log, and, when PostgreSQL is reachable
 * (BENCH_POSTGRES_URL), on a PostgreSQL store holding the log's first BENCH_CHURN_PG_EVENTS
 * (100,000) events. Side by side in one run, alternating, BENCH_CHURN_ROUNDS (3) rounds each,
 * every round in a process of its own (its peak RSS its own): the defaults (steps of 100,000
 * customers, 250 customers a read and an append), steps of 50,000 events (the default until
 * 2026-12-08: each customer judged again in every step that touched them), and those steps with
 * one read and one append per customer (as the process was until 2026-12-08, but for the log's
 * headers). Prints the result and writes it, with the date and the calibration, to
 * bench/results/churn-risk.json.
 *
 * `node dist/bench/churn-risk.bench.js <data dir>` (run.ts's `churnRisk` section).
 */
const POLICIES: Record<string, ChurnRiskProcessOptions> = {
  'the defaults (steps of 100,000 customers, chunks of 250)': {},
  'steps of 50,000 events': { stepEvents: 50_000, stepCustomers: Number.MAX_SAFE_INTEGER },
  'steps of 50,000 events, one customer a read and an append (as before)': { stepEvents: 50_000, stepCustomers: Number.MAX_SAFE_INTEGER, chunkSize: 1 },
};
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const POSTGRES_EVENTS = Number(process.env.BENCH_CHURN_PG_EVENTS ?? 100_000);
/** The log's first POSTGRES_EVENTS events, copied once per run; each round judges a copy of this schema. */
const POSTGRES_SOURCE = 'jl_bench_churn_source';

type StoreKind = 'sqlite' | 'postgres';

interface Round {
  customersEvaluated: number;
  eventsRead: number;
  eventsAppended: number;
  seconds: number;
  peakRssMiB: number;
}

/** The store a round judges: a fresh copy of the log (its flags are appended), and how to throw it away. */
async function storeFor(kind: StoreKind, dataDir: string, scratch: string): Promise<{ store: EventStore; drop: () => Promise<void> }> {
  if (kind === 'sqlite') {
    fs.copyFileSync(path.join(dataDir, 'journeyline.db'), path.join(scratch, 'journeyline.db'));
    const store = SqliteEventStore.open(path.join(scratch, 'journeyline.db'));
    return { store, drop: () => store.close() };
  }
  const schema = `jl_bench_churn_${process.pid}`;
  const pool = new Pool({ connectionString: POSTGRES_URL });
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  const store = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema });
  await pool.query(`INSERT INTO ${schema}.events SELECT * FROM ${POSTGRES_SOURCE}.events`);
  await pool.query(`SELECT setval('${schema}.events_position', (SELECT max(position) FROM ${schema}.events))`);
  return {
    store,
    drop: async () => {
      await store.close();
      await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await pool.end();
    },
  };
}

/** One round in this process: `policy` on a fresh copy of the log. */
async function round(kind: StoreKind, dataDir: string, policy: string): Promise<Round> {
  limitHeapGrowth(); // as the product's processes do
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-bench-churn-'));
  try {
    const { store, drop } = await storeFor(kind, dataDir, scratch);
    const readModels = SqliteReadModelDatabase.open(path.join(scratch, 'read-models.db'));
    const churn = new ChurnRiskProcess(store, readModels, DEFAULT_CHURN_RULES, { clock: () => new Date('2026-11-20T00:00:00Z'), ...POLICIES[policy] });
    const started = process.hrtime.bigint();
    const result = await churn.runOnce();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await readModels.close();
    await drop();
    return { ...result, seconds: Number(seconds.toFixed(2)), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function inChild(kind: StoreKind, dataDir: string, policy: string): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [dataDir, kind, policy], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: process.execArgv });
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Round) : reject(new Error(`churn-risk round exited with ${code}`))));
  });
}

/** Copies the log's first POSTGRES_EVENTS events into POSTGRES_SOURCE; false when PostgreSQL cannot be reached. */
async function postgresSource(dataDir: string): Promise<boolean> {
  const pool = new Pool({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await pool.query('SELECT 1');
  } catch {
    await pool.end();
    return false;
  }
  await pool.query(`DROP SCHEMA IF EXISTS ${POSTGRES_SOURCE} CASCADE`);
  await pool.end();
  const source = SqliteEventStore.open(path.join(dataDir, 'journeyline.db'));
  const target = await PostgresEventStore.open({ connectionString: POSTGRES_URL, schema: POSTGRES_SOURCE });
  for (let after = 0; after < POSTGRES_EVENTS;) {
    const events = await source.readAll({ after, limit: Math.min(5000, POSTGRES_EVENTS - after) });
    if (events.length === 0) break;
    await target.append(appendRequestsFor(events));
    after = events[events.length - 1].position;
  }
  await target.close();
  await source.close();
  return true;
}

async function dropPostgresSource(): Promise<void> {
  const pool = new Pool({ connectionString: POSTGRES_URL });
  await pool.query(`DROP SCHEMA IF EXISTS ${POSTGRES_SOURCE} CASCADE`);
  await pool.end();
}

async function sideBySide(kind: StoreKind, dataDir: string, rounds: number) {
  const byPolicy: Record<string, Round[]> = Object.fromEntries(Object.keys(POLICIES).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? Object.keys(POLICIES) : Object.keys(POLICIES).reverse();
    for (const name of order) {
      const result = await inChild(kind, dataDir, name);
      process.stderr.write(
        `bench: churn risk on ${kind}, ${name}: ${result.customersEvaluated} customers judged in ${result.seconds} s, peak ${result.peakRssMiB} MiB\n`,
      );
      byPolicy[name].push(result);
    }
  }
  const policies = Object.fromEntries(
    Object.entries(byPolicy).map(([name, results]) => [
      name,
      {
        customersEvaluated: results[0].customersEvaluated,
        eventsAppended: results[0].eventsAppended,
        seconds: median(results.map((r) => r.seconds)),
        secondsByRound: results.map((r) => r.seconds),
        peakRssMiB: Math.max(...results.map((r) => r.peakRssMiB)),
      },
    ]),
  );
  const [now, ...before] = Object.keys(POLICIES).map((name) => policies[name].seconds);
  return { policies, speedups: before.map((seconds) => Number((seconds / now).toFixed(2))) };
}

async function main(): Promise<void> {
  const [dataDir, kind, policy] = process.argv.slice(2);
  if (policy) {
    process.stdout.write(JSON.stringify(await round(kind as StoreKind, dataDir, policy)));
    return;
  }
  const calibrationMs = calibrate();
  const rounds = Number(process.env.BENCH_CHURN_ROUNDS ?? 3);
  const sqlite = await sideBySide('sqlite', dataDir, rounds);
  let postgres: unknown = { skipped: `PostgreSQL unreachable at ${POSTGRES_URL}` };
  if (await postgresSource(dataDir)) {
    try {
      postgres = { events: POSTGRES_EVENTS, ...(await sideBySide('postgres', dataDir, rounds)) };
    } finally {
      await dropPostgresSource();
    }
  }
  const result = { date: new Date().toISOString(), calibrationMs, sqlite, postgres };
  const resultsDir = path.resolve(__dirname, __filename.endsWith('.js') ? '../../bench/results' : 'results');
  fs.writeFileSync(path.join(resultsDir, 'churn-risk.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
