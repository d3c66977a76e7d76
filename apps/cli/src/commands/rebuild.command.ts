import type { Command } from 'commander';
import { SqliteEventStore } from '@journeyline/event-store';
import {
  journeylineProjections,
  parkedSummary,
  Projector,
  REBUILD_BATCH_SIZE,
  REBUILD_LOG_CACHE_MIB,
  rebuildInParallel,
  SqliteReadModelDatabase,
} from '@journeyline/projections';
import { interruptible, openStores } from '../cli-context';
import { progressBar } from '../progress';

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('drop read models and replay the event log into them (all, or the named projections)')
    .argument('[projections...]', 'journey-map, cx-metrics, churn-risks (default: all)')
    .option('--batch-size <n>', 'events per transaction', (v) => Number(v), REBUILD_BATCH_SIZE)
    .option('--resume', 'continue an interrupted rebuild from its checkpoints instead of starting over')
    .option('--sequential', 'one thread (by default, on the embedded SQLite store, a worker thread rebuilds all but the journey map beside it)')
    .action(async (names: string[], options: { batchSize: number; resume?: boolean; sequential?: boolean }) => {
      const stores = await openStores();
      const signal = interruptible();
      try {
        const projector = new Projector(stores.store, stores.readModels, journeylineProjections(stores.store, stores.config.timeZone, stores.personal));
        const head = await stores.store.headPosition();
        const bar = progressBar('rebuild |{bar}| {percentage}% {value}/{total} positions {eta_formatted} left, {rate} ev/s');
        const started = Date.now();
        bar.start(head, 0, { rate: 0 });
        const onProgress = (progress: { position: number }[]) => {
          const position = Math.min(...progress.map((p) => p.position));
          bar.update(position, { rate: Math.round(position / Math.max(0.001, (Date.now() - started) / 1000)) });
          if (signal.stopped) void projector.stop();
        };
        const chosen = names.length ? names : undefined;
        const { store, readModels, config } = stores;
        const parallel = !options.sequential && store instanceof SqliteEventStore && readModels instanceof SqliteReadModelDatabase;
        // the log is read front to back once: a small page cache (the worker thread opens its own likewise)
        if (store instanceof SqliteEventStore) store.usePageCache(REBUILD_LOG_CACHE_MIB);
        const applied = options.resume
          ? await projector.catchUp(options.batchSize, onProgress)
          : parallel
            ? await rebuildInParallel(projector, readModels, {
                eventsFile: store.db.name,
                timeZone: config.timeZone,
                names: chosen,
                batchSize: options.batchSize,
                onProgress,
                stopped: () => signal.stopped,
              })
            : await projector.rebuild(chosen, { batchSize: options.batchSize, onProgress });
        bar.stop();
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `${signal.stopped ? 'interrupted; run `journeyline rebuild --resume` to continue' : 'rebuilt'}: ${applied} events in ${seconds.toFixed(1)} s (${Math.round(applied / seconds)} events/s)`,
        );
        if (!signal.stopped) {
          await stores.audit.record('projections.rebuilt', stores.actor, null, {
            projections: chosen ?? projector.projections.map((p) => p.name),
            events: applied,
            seconds: Number(seconds.toFixed(1)),
            resumed: Boolean(options.resume),
          });
        }
        for (const parked of await parkedSummary(stores.readModels.reader)) {
          if (!projector.projections.some((p) => p.name === parked.component)) continue;
          console.log(
            `${parked.component}: ${parked.count} event(s) parked (latest ${parked.latest[0]?.eventId}: ${parked.latest[0]?.error}); fix the cause, then run \`journeyline retry-parked\``,
          );
        }
        signal.settle();
      } finally {
        signal.release();
        await stores.close();
      }
    });
}
