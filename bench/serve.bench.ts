import { spawn } from 'node:child_process';
import * as path from 'node:path';

/**
 * The real server on the benchmark data, in its own process (the built `main.js`, as `npm start`
 * runs it) so its RSS can be measured alone. Answers its port on stdout, its peak
 * RSS (and its RSS now) on the message 'rss' ('rss-reset' answers the same, then starts the peak
 * again from the RSS now, so each phase of a run gets its own), and stops on 'stop'. Its port is written once
 * `/health/ready` answers 200 (it listens before it has caught up with the log).
 */
async function main(): Promise<void> {
  const compiled = __filename.endsWith('.js');
  const root = path.resolve(__dirname, compiled ? '../..' : '..');
  const args = compiled
    ? [path.join(root, 'dist', 'apps', 'server', 'src', 'main.js')]
    : ['-r', '@swc-node/register', path.join(root, 'apps', 'server', 'src', 'main.ts')];
  // BENCH_SERVER_NODE_ARGS: node options for the server alone, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` (NODE_OPTIONS refuses --cpu-prof)
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const server = spawn(process.execPath, [...nodeArgs, ...args], {
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      JOURNEYLINE_DATA_DIR: process.argv[2],
      JOURNEYLINE_LOG_FORMAT: 'json',
      // the benchmark's own admin key (a store that has keys already keeps its own: see BENCH_KEY in run.ts)
      JOURNEYLINE_ADMIN_KEY: process.env.BENCH_KEY ?? 'journeyline-benchmark-admin-key-0001',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // Read line by line until the server says where it listens; after that its log (an access-log
  // line per request) is drained unread: parsing it here would compete with the server for the CPU.
  let pending = '';
  const onData = (chunk: Buffer): void => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    const listening = lines.map(parseLine).find((line) => line?.msg === 'listening');
    if (!listening) return;
    server.stdout.off('data', onData);
    server.stdout.resume();
    // the server listens at once and catches up in the background: measure once /health/ready says it is caught up
    const port = Number(new URL(String(listening.url)).port);
    void untilReady(port).then(() => process.stdout.write(`${JSON.stringify({ port })}\n`));
  };
  server.stdout.on('data', onData);
  server.on('exit', (code) => process.exit(code ?? 1));
  process.on('message', (message) => {
    if (message === 'rss' || message === 'rss-reset') process.send?.({ peakRssMiB: rssMiB(server.pid!, 'VmHWM'), rssMiB: rssMiB(server.pid!, 'VmRSS') });
    // Linux: writing 5 to clear_refs sets the peak (VmHWM) back to the RSS now
    if (message === 'rss-reset') require('node:fs').writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
    if (message === 'stop') server.kill('SIGTERM');
  });
}

function parseLine(line: string): { msg?: unknown; url?: unknown } | null {
  try {
    return JSON.parse(line) as { msg?: unknown; url?: unknown };
  } catch {
    return null;
  }
}

async function untilReady(port: number): Promise<void> {
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The server process's peak (VmHWM) or current (VmRSS) resident set, from /proc. */
function rssMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8') as string;
  const kib = Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return Math.round(kib / 1024);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
