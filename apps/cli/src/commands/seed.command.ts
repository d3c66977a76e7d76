import type { Command } from 'commander';
import { seedDemo } from '@journeyline/demo';
import { interruptible, openStores } from '../cli-context';
import { progressBar } from '../progress';

export function registerSeed(program: Command): void {
  program
    .command('seed')
    .description('fill the configured store with plausible demo journeys (Vietnamese names and regions); safe to re-run or resume')
    .option('--customers <n>', 'number of customers', (v) => Number(v), 5000)
    .option('--seed <n>', 'random seed (same seed, same data)', (v) => Number(v), 2026)
    .action(async (options: { customers: number; seed: number }) => {
      if (!Number.isInteger(options.customers) || options.customers < 1) throw new Error('--customers must be a whole number ≥ 1');
      const stores = await openStores();
      const signal = interruptible();
      const bar = progressBar('seed |{bar}| {value}/{total} customers, {events} events {eta_formatted} left');
      try {
        bar.start(options.customers, 0, { events: 0 });
        const result = await seedDemo(stores.store, {
          customers: options.customers,
          personal: stores.personal,
          seed: options.seed,
          onProgress: (done, _total, events) => bar.update(done, { events }),
          shouldStop: () => signal.stopped,
        });
        bar.stop();
        console.log(
          `${signal.stopped ? 'interrupted (run the same command again to finish)' : 'seeded'}: ${result.customers} customers, ${result.events} new events in ${stores.config.store} (${stores.config.dataDir}); start the server and open http://${stores.config.host}:${stores.config.port}/`,
        );
        signal.settle();
      } finally {
        bar.stop();
        signal.release();
        await stores.close();
      }
    });
}
