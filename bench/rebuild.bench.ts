import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { limitHeapGrowth } from '@journeyline/platform';
import { journeylineProjections, Projector, REBUILD_LOG_CACHE_MIB, rebuildInParallel, SqliteReadModelDatabase } from '@journeyline/projections';

/**
 * Drops and rebuilds every projection from the cached log (the read models the query benchmark
 * then serves; the churn-risk process state in the same file is kept). Prints {"events", "seconds", "eventsPerSecond", "peakRssMiB"}.
 */
async function main(): Promise<void> {
  limitHeapGrowth(); // as the product's processes do
  const dir = process.argv[2];
  // as `journeyline rebuild` does, with the small page cache of a reader of the log front to back
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
  store.usePageCache(REBUILD_LOG_CACHE_MIB);
  const readModels = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
  const projector = new Projector(store, readModels, journeylineProjections(store, 'Asia/Ho_Chi_Minh'));
  const started = process.hrtime.bigint();
  const batchSize = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
  // as `journeyline rebuild` does: a worker thread rebuilds all but the journey map beside it (BENCH_SEQUENTIAL=1: one thread)
  const events = process.env.BENCH_SEQUENTIAL
    ? await projector.rebuild(undefined, { batchSize })
    : await rebuildInParallel(projector, readModels, { eventsFile: path.join(dir, 'journeyline.db'), timeZone: 'Asia/Ho_Chi_Minh', batchSize });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await readModels.close();
  await store.close();
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ events, seconds, eventsPerSecond: Math.round(events / seconds), peakRssMiB: Math.round(peakRssMiB) })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
