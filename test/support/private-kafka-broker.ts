import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from './free-port';
import { runScript } from './kafka-broker';

/**
 * A Kafka broker of its own (scripts/kafka/start.sh with its own KAFKA_RUN_DIR in a temp
 * directory and free ports), for a test that stops and starts the broker: the broker the other
 * Kafka tests share (test/support/kafka-broker.ts) must never be restarted under them. Only this
 * broker is ever signalled, by scripts/kafka/stop.sh on its own run directory, which stops the pid
 * in that directory's kafka.pid. A restart keeps its data (KAFKA_KEEP_DATA=1): the same cluster,
 * topics and committed offsets, as a restarted broker has. A detached watchdog stops it and deletes
 * its directory if this jest process ends without `remove()`.
 */
const ROOT = path.resolve(__dirname, '../..');
const START_TIMEOUT_MS = 240_000;

export interface PrivateKafkaBroker {
  brokers: string[];
  runDir: string;
  /** start.sh: the first start formats the storage; later ones keep it. Resolves once the broker answers. */
  start(): Promise<void>;
  /** stop.sh: SIGTERM (a controlled shutdown), SIGKILL after KAFKA_STOP_TIMEOUT. */
  stop(): Promise<void>;
  /** Stops the broker and deletes its directory. */
  remove(): Promise<void>;
}

export async function createPrivateKafkaBroker(): Promise<PrivateKafkaBroker> {
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-kafka-'));
  const env: Record<string, string> = {
    KAFKA_RUN_DIR: runDir,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    // A test's traffic is small: a smaller heap leaves the machine to the processes under test.
    KAFKA_HEAP_OPTS: process.env.KAFKA_HEAP_OPTS ?? '-Xms128m -Xmx384m',
  };
  removeWhenJestExits(env);
  let started = false;
  const script = async (name: 'start.sh' | 'stop.sh', extra: Record<string, string> = {}) => {
    const { code, output } = await run(path.join(ROOT, 'scripts/kafka', name), { ...env, ...extra }, START_TIMEOUT_MS);
    if (code !== 0) throw new Error(`scripts/kafka/${name} (KAFKA_RUN_DIR=${runDir}) failed with exit ${code}; its output:\n${output.slice(-6000)}`);
  };
  return {
    brokers: [`127.0.0.1:${port}`],
    runDir,
    async start() {
      await script('start.sh', { KAFKA_KEEP_DATA: started ? '1' : '0' });
      started = true;
    },
    stop: () => script('stop.sh'),
    async remove() {
      try {
        await script('stop.sh');
      } finally {
        fs.rmSync(runDir, { recursive: true, force: true });
      }
    },
  };
}

/** A detached shell that waits for this jest process to end, then stops the broker of `env` and deletes its run directory. */
function removeWhenJestExits(env: Record<string, string>): void {
  const stop = path.join(ROOT, 'scripts/kafka/stop.sh');
  const watchdog = spawn('bash', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 0.5; done; bash '${stop}'; rm -rf -- "$KAFKA_RUN_DIR"`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

function run(script: string, env: Record<string, string>, timeoutMs: number): Promise<{ code: number; output: string }> {
  return runScript(script, { ...process.env, ...env }, timeoutMs);
}
