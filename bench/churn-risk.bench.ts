import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import { SqliteEventStore } from '@journeyline/event-store';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { limitHeapGrowth } from '@journeyline/platform';
import { ChurnRiskProcess, SqliteReadModelDatabase, type ChurnRiskProcessOptions } from '@journeyline/projections';
import { calibrate } from './calibration';
import { median } from './median';

/**
 * The churn-risk process judging every customer of the cached log, as after a change of rules or
 * a first start (its own checkpoint at 0): on a copy of the log (the flags it raises are appended)
 * with read models of its own, the clock at the generated data's "now". Side by side in one run,
 * alternating, BENCH_CHURN_ROUNDS (3) rounds each, every round in a process of its own (its peak RSS
 * its own): steps of 100,000 customers (the default) and steps of 50,000 events (the default
 * until 2026-12-08, each customer judged again in every step that touched them).
 * Prints {"policies": {name: {customersEvaluated, eventsAppended, seconds, peakRssMiB}}, "speedup"} and
 * writes it, with the date and the calibration, to bench/results/churn-risk.json.
 *
 * `node dist/bench/churn-risk.bench.js <data dir>` (run.ts's `churnRisk` section).
 */
const POLICIES: Record<string, ChurnRiskProcessOptions> = {
  'steps of 100,000 customers (default)': {},
  'steps of 50,000 events (before)': { stepEvents: 50_000, stepCustomers: Number.MAX_SAFE_INTEGER },
};

interface Round {
  customersEvaluated: number;
  eventsRead: number;
  eventsAppended: number;
  seconds: number;
  peakRssMiB: number;
}

/** One round in this process: `policy` on a fresh copy of the log. */
async function round(dataDir: string, policy: string): Promise<Round> {
  limitHeapGrowth(); // as the product's processes do
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-bench-churn-'));
  try {
    fs.copyFileSync(path.join(dataDir, 'journeyline.db'), path.join(scratch, 'journeyline.db'));
    const store = SqliteEventStore.open(path.join(scratch, 'journeyline.db'));
    const readModels = SqliteReadModelDatabase.open(path.join(scratch, 'read-models.db'));
    const churn = new ChurnRiskProcess(store, readModels, DEFAULT_CHURN_RULES, { clock: () => new Date('2026-11-20T00:00:00Z'), ...POLICIES[policy] });
    const started = process.hrtime.bigint();
    const result = await churn.runOnce();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    await readModels.close();
    await store.close();
    return { ...result, seconds: Number(seconds.toFixed(2)), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function inChild(dataDir: string, policy: string): Promise<Round> {
  return new Promise((resolve, reject) => {
    const child = fork(__filename, [dataDir, policy], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: process.execArgv });
    let out = '';
    child.stdout!.on('data', (chunk) => (out += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as Round) : reject(new Error(`churn-risk round exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const [dataDir, policy] = process.argv.slice(2);
  if (policy) {
    process.stdout.write(JSON.stringify(await round(dataDir, policy)));
    return;
  }
  const calibrationMs = calibrate();
  const rounds = Number(process.env.BENCH_CHURN_ROUNDS ?? 3);
  const byPolicy: Record<string, Round[]> = Object.fromEntries(Object.keys(POLICIES).map((name) => [name, []]));
  for (let i = 0; i < rounds; i++) {
    const order = i % 2 === 0 ? Object.keys(POLICIES) : Object.keys(POLICIES).reverse();
    for (const name of order) {
      const result = await inChild(dataDir, name);
      process.stderr.write(`bench: churn risk, ${name}: ${result.customersEvaluated} customers judged in ${result.seconds} s, peak ${result.peakRssMiB} MiB\n`);
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
  const [now, before] = Object.keys(POLICIES).map((name) => policies[name].seconds);
  const result = { date: new Date().toISOString(), calibrationMs, policies, speedup: Number((before / now).toFixed(2)) };
  const resultsDir = path.resolve(__dirname, __filename.endsWith('.js') ? '../../bench/results' : 'results');
  fs.writeFileSync(path.join(resultsDir, 'churn-risk.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
