import { spawn } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/**
 * The real Apache Kafka broker the Kafka tests run against (scripts/kafka: a single-node KRaft
 * broker on 127.0.0.1:$KAFKA_PORT). `.ci/run` should start it before `npm test` (and stop it
 * after). When nothing answers on the port, the first Kafka test file starts it with
 * scripts/kafka/start.sh, and a detached watchdog runs scripts/kafka/stop.sh once this jest
 * process has exited: one broker start per test run, however many Kafka test files there are,
 * and a broker the tests started never outlives them. A broker that cannot be started FAILS the
 * tests with the script's output: Kafka tests are never skipped silently.
 */
const ROOT = path.resolve(__dirname, '../..');
const START_TIMEOUT_MS = 240_000;

export interface KafkaBroker {
  brokers: string[];
  /** This call started the broker (nothing answered on the port); it stops when jest exits. */
  startedHere: boolean;
}

export function kafkaPort(): number {
  return Number(process.env.KAFKA_PORT ?? 9092);
}

export async function ensureKafkaBroker(): Promise<KafkaBroker> {
  const brokers = [`127.0.0.1:${kafkaPort()}`];
  if (await portOpen(kafkaPort())) {
    const problem = await kafkaAnswers(brokers);
    if (problem === null) return { brokers, startedHere: false };
    throw new Error(`port ${kafkaPort()} is open but no Kafka broker answers there (${problem}); free the port or set KAFKA_PORT`);
  }
  const started = await run('scripts/kafka/start.sh', START_TIMEOUT_MS);
  if (started.code !== 0) {
    throw new Error(
      `the Kafka tests need a broker and scripts/kafka/start.sh could not start one (exit ${started.code}); its output:\n${started.output.slice(-6000)}`,
    );
  }
  stopWhenJestExits();
  const problem = await kafkaAnswers(brokers);
  if (problem !== null)
    throw new Error(`scripts/kafka/start.sh reported success but the broker on ${brokers[0]} does not answer: ${problem}\n${started.output.slice(-3000)}`);
  return { brokers, startedHere: true };
}

/**
 * A detached shell that waits for this process (the jest run) to end, then stops the broker
 * with scripts/kafka/stop.sh, which stops only the broker named in its pid file.
 */
function stopWhenJestExits(): void {
  const stop = path.join(ROOT, 'scripts/kafka/stop.sh');
  const watchdog = spawn('bash', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.5; done; exec bash '${stop}'`], {
    cwd: ROOT,
    env: process.env,
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

/**
 * For a describe block: a broker before the first test (started if need be). `brokers` is set in
 * beforeAll; `cleanUp` registers work (deleting the run's topics) for afterAll.
 */
export function useKafkaBroker(): { brokers: string[]; cleanUp(work: () => Promise<unknown>): void } {
  const cleanUps: (() => Promise<unknown>)[] = [];
  const state = { brokers: [] as string[], cleanUp: (work: () => Promise<unknown>) => void cleanUps.push(work) };
  beforeAll(async () => {
    state.brokers = (await ensureKafkaBroker()).brokers;
  }, START_TIMEOUT_MS + 30_000);
  afterAll(async () => {
    for (const work of cleanUps) await work().catch(() => undefined);
  }, 60_000);
  return state;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** null when a broker answers DescribeCluster, else why not. */
async function kafkaAnswers(brokers: string[]): Promise<string | null> {
  const admin = new Kafka({ brokers, clientId: 'journeyline-test-probe', logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 300 } }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 ? null : 'the cluster has no brokers';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function run(script: string, timeoutMs: number): Promise<{ code: number; output: string }> {
  return runScript(path.join(ROOT, script), process.env, timeoutMs);
}

/** Runs a bash script from the repository's root with `env`, stopping it after `timeoutMs`; its exit code and its output (stdout and stderr). */
export function runScript(script: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      output += `\n[test] ${script} did not finish within ${timeoutMs / 1000}s; stopping it`;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: 127, output: `${output}\n${error.message}` });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}
