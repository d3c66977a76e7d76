import type { Command } from 'commander';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP server (same as npm start); configured by PORT, HOST, JOURNEYLINE_* variables')
    .action(async () => {
      require('../../../server/src/main');
    });
}
