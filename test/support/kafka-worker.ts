import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

/**
 * The worker as a real child process (`node -r @swc-node/register apps/worker/src/main.ts`), so
 * a test can SIGKILL it mid-batch like a crashed container, or SIGTERM it like an orchestrator.
 * Its JSON log lines are kept for assertions and for the failure message.
 */
const ROOT = path.resolve(__dirname, '../..');

export interface WorkerProcess {
  pid: number;
  port: number;
  logs: Record<string, unknown>[];
  health(): Promise<WorkerHealth>;
  /** Polls /health until `ready` holds for it (`stableFor` ms in a row), or fails with the last health seen. */
  waitFor(what: string, ready: (health: WorkerHealth) => boolean, options?: { timeoutMs?: number; stableForMs?: number }): Promise<WorkerHealth>;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then the exit: a graceful stop must exit with 0. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  tail(lines?: number): string;
}

/** The parts of the worker's /health the tests read. */
export interface WorkerHealth {
  status: string;
  position: number;
  kafka: {
    consumer: {
      state: string;
      partitions: number[];
      consumed: number;
      appended: number;
      duplicates: number;
      deadLetters: number;
      retries: number;
      lastError: string | null;
    };
    lag: number | null;
    /** Why `lag` is null: the broker's error, or that it did not answer in time. */
    lagError?: string;
    deadLetters: { sentByThisWorker: number; inTopic: number | null };
  };
  projections: { position: number; lag: number; churnRisk: { position: number; lag: number } | null };
  outbound: { enabled: boolean; position?: number; lag?: number | null; leader?: boolean; published?: number };
}

export async function startWorker(env: Record<string, string>, options: { startTimeoutMs?: number } = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'apps/worker/src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), WORKER_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const raw: string[] = [];
  let pending = '';
  let onLine: ((line: Record<string, unknown>) => void) | null = null;
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (!line.trim()) continue;
      raw.push(line);
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        logs.push(parsed);
        onLine?.(parsed);
      } catch {
        // not JSON: kept in raw for the failure message
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => raw.push(`[stderr] ${chunk.toString().trimEnd()}`));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const tail = (lines = 40) => raw.slice(-lines).join('\n');

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start within ${options.startTimeoutMs ?? 60_000} ms; its output:\n${tail()}`)),
      options.startTimeoutMs ?? 60_000,
    );
    onLine = (line) => {
      // The port is known once /health listens; the rest of the start is observable there.
      if (line.msg === 'worker http listening') {
        clearTimeout(timer);
        resolve(Number(line.port));
      }
    };
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`worker exited during start (code ${code}, signal ${signal}); its output:\n${tail()}`));
    });
  });
  onLine = null;

  const health = async (): Promise<WorkerHealth> => {
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    return (await response.json()) as WorkerHealth;
  };
  return {
    pid: child.pid!,
    port,
    logs,
    health,
    exited,
    tail,
    kill: (signal) => killChild(child, signal),
    async waitFor(what, ready, { timeoutMs = 60_000, stableForMs = 0 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let last: WorkerHealth | null = null;
      let since: number | null = null;
      for (;;) {
        try {
          last = await health();
          if (ready(last)) {
            since ??= Date.now();
            if (Date.now() - since >= stableForMs) return last;
          } else {
            since = null;
          }
        } catch (error) {
          since = null;
          if (child.exitCode !== null || child.signalCode !== null) throw new Error(`worker exited while waiting for ${what}; its output:\n${tail()}`);
        }
        if (Date.now() > deadline)
          throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last health: ${JSON.stringify(last)}\nworker output:\n${tail()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async stop() {
      killChild(child, 'SIGTERM');
      return exited;
    },
  };
}

function killChild(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
}
