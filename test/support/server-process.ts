import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { TEST_ADMIN_KEY } from './running-server';

/**
 * The server as a real child process (apps/server/src/main.ts, run by test/support/server-standby.ts
 * once told to start), so a test can SIGKILL it like a crashed container and start it again on the
 * same port and data directory. Its output is kept for the failure message.
 */
const ROOT = path.resolve(__dirname, '../..');

export interface ServerProcess {
  pid: number;
  url: string;
  /** Resolves with the exit code (or the signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
  tail(lines?: number): string;
}

/** A server process that has loaded its code and waits to be started (test/support/server-standby.ts). */
export interface ServerStandby {
  /** Runs the server's main: it opens `dataDir` and listens on `port`; resolves once `/health/live` answers. */
  start(options?: { startTimeoutMs?: number }): Promise<ServerProcess>;
  /** Ends the standby without starting it. */
  discard(): Promise<void>;
}

/** Starts the server on `port` and `dataDir` (admin key TEST_ADMIN_KEY) and resolves once `/health/live` answers. */
export function startServerProcess(
  port: number,
  dataDir: string,
  env: Record<string, string> = {},
  options: { startTimeoutMs?: number } = {},
): Promise<ServerProcess> {
  return serverStandby(port, dataDir, env).start(options);
}

/** A new process that loads the server's code now and runs it on `port` and `dataDir` when `start` is called. */
export function serverStandby(port: number, dataDir: string, env: Record<string, string> = {}): ServerStandby {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, 'test/support/server-standby.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'),
      PORT: String(port),
      HOST: '127.0.0.1',
      JOURNEYLINE_DATA_DIR: dataDir,
      JOURNEYLINE_ADMIN_KEY: TEST_ADMIN_KEY,
      // on the event loop's thread unless asked (PROJECTOR_THREAD in running-server.ts)
      JOURNEYLINE_PROJECTOR_THREAD: 'false',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const raw: string[] = [];
  const keep = (prefix: string) => (chunk: Buffer) => {
    raw.push(
      ...chunk
        .toString()
        .trimEnd()
        .split('\n')
        .map((line) => prefix + line),
    );
    if (raw.length > 400) raw.splice(0, raw.length - 200);
  };
  child.stdout!.on('data', keep(''));
  child.stderr!.on('data', keep('[stderr] '));
  child.stdin!.on('error', () => undefined); // a standby that died already: start() reports it
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const tail = (lines = 40) => raw.slice(-lines).join('\n');
  const url = `http://127.0.0.1:${port}`;
  const kill = (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };

  return {
    async start({ startTimeoutMs = 60_000 } = {}) {
      child.stdin!.end('start\n');
      const deadline = Date.now() + startTimeoutMs;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`the server exited during start (code ${child.exitCode}, signal ${child.signalCode}); its output:\n${tail()}`);
        }
        const live = await fetch(`${url}/health/live`, { signal: AbortSignal.timeout(2000) }).then(
          (response) => response.ok,
          () => false,
        );
        if (live) break;
        if (Date.now() > deadline) {
          kill('SIGKILL');
          throw new Error(`the server did not answer /health/live within ${startTimeoutMs} ms; its output:\n${tail()}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return { pid: child.pid!, url, exited, kill, tail };
    },
    async discard() {
      kill('SIGKILL');
      await exited;
    },
  };
}
