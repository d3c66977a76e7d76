import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';

/**
 * `journeyline serve`: the server, as `npm start` runs it, in a process of its own (an app never
 * imports another): the built `dist/apps/server/src/main.js` when there is one beside this CLI,
 * else the sources through swc-node. Signals are passed on, and its exit code is this one's.
 */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (same as npm start); configured by PORT, HOST, JOURNEYLINE_* variables')
    .action(async () => {
      const compiled = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'main.js');
      const source = path.resolve(__dirname, '..', '..', '..', 'server', 'src', 'main.ts');
      const args = __filename.endsWith('.js') && fs.existsSync(compiled) ? [compiled] : ['-r', '@swc-node/register', source];
      const server = spawn(process.execPath, args, { stdio: 'inherit' });
      for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
      await new Promise<void>((resolve) =>
        server.on('exit', (code) => {
          process.exitCode = code ?? 1;
          resolve();
        }),
      );
    });
}
