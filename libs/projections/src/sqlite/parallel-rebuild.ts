import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Projector, ProjectorProgress } from '../runtime/projector';
import { workerFromFile } from '../runtime/worker-from-file';
import type { SqliteReadModelDatabase } from './sqlite-read-model-database';

export interface ParallelRebuildOptions {
  /** The SQLite event log: the worker thread opens its own connection to it. */
  eventsFile: string;
  /** The projections' time zone, as the projector was given it (the worker builds the same projections). */
  timeZone: string;
  /** The projections to rebuild; all when none are named. */
  names?: readonly string[];
  batchSize?: number;
  onProgress?: (progress: ProjectorProgress[]) => void;
  /** Polled at each progress report: once true, both threads stop after their current transaction. */
  stopped?: () => boolean;
}

/**
 * Most events per transaction in the worker: the projections rebuilt aside (metrics, the
 * churn-risk list) gain little from longer ones, and both threads share the process's memory
 * (on the benchmark log, peak RSS about 470 MiB with the rebuild's 500,000, 425 MiB with this).
 */
const ASIDE_BATCH_SIZE = 100_000;

/**
 * The worker's young generation in MiB (a thread's default here is 48): its projections sum into
 * maps that live for a whole transaction, and the smaller young generation took about 15 MiB off
 * the rebuild's peak RSS at 300,000 customers at no cost in speed.
 */
const ASIDE_YOUNG_GENERATION_MB = 16;

/**
 * The event log's page cache (MiB) for a rebuild's connections: they read the log front to back,
 * once (a refold's stream read aside), so SQLite's default 16 MiB held pages never read again. On
 * the benchmark log, 4 MiB on both threads' connections took about 30 MiB off the rebuild's peak
 * RSS at no cost in speed. `journeyline rebuild`, its worker thread and the benchmark's rebuild
 * each set it on their connection (`usePageCache`).
 */
export const REBUILD_LOG_CACHE_MIB = 4;

/** What the main thread sends the worker (as workerData). */
export interface AsideRebuildRequest {
  eventsFile: string;
  sideFile: string;
  timeZone: string;
  names: string[];
  batchSize?: number;
}

export type AsideRebuildMessage = { progress: ProjectorProgress[] } | { done: number } | { error: string };

/**
 * A rebuild of the embedded SQLite read models on two cores. The first chosen projection (the
 * journey map, about two thirds of the work) is rebuilt in place by this thread's projector while
 * a worker thread rebuilds the others into a side file beside the read models
 * (`read-models.db.rebuild`). When both are done, one transaction replaces those projections'
 * tables with the side file's and takes their checkpoints from it, and a last catch-up applies
 * what was appended meanwhile. Until then their old tables keep answering queries.
 *
 * The worker runs the product's projections (`journeylineProjections`); the move-in refuses a
 * side file whose projection versions differ from this projector's. Interrupted (`stopped`), both
 * threads commit their current transaction and stop, what the worker committed is moved in all
 * the same, and `catchUp` later resumes every projection from its checkpoint.
 */
export async function rebuildInParallel(projector: Projector, readModels: SqliteReadModelDatabase, options: ParallelRebuildOptions): Promise<number> {
  const [inPlace, ...others] = projector.chosen(options.names);
  const aside = others.filter((p) => !p.rebuildsInPlace);
  const alsoInPlace = others.filter((p) => p.rebuildsInPlace).map((p) => p.name);
  if (aside.length === 0 || readModels.filename === ':memory:') {
    return projector.rebuild(options.names, { batchSize: options.batchSize, onProgress: options.onProgress });
  }
  const sideFile = `${readModels.filename}.rebuild`;
  removeDatabaseFiles(sideFile);
  const worker = startWorker({
    eventsFile: options.eventsFile,
    sideFile,
    timeZone: options.timeZone,
    names: aside.map((p) => p.name),
    batchSize: Math.min(options.batchSize ?? ASIDE_BATCH_SIZE, ASIDE_BATCH_SIZE),
  });

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void projector.stop();
    worker.stop();
  };
  let inPlaceProgress: ProjectorProgress[] = [];
  let asideProgress: ProjectorProgress[] = [];
  const report = () => {
    if (options.stopped?.()) stop();
    if (!options.onProgress || inPlaceProgress.length === 0) return;
    // the aside projections' rows in the main file are their old ones: show the worker's
    options.onProgress(inPlaceProgress.filter((p) => p.projection === inPlace.name || alsoInPlace.includes(p.projection)).concat(asideProgress));
  };
  worker.onProgress = (progress) => {
    asideProgress = progress;
    report();
  };

  const [inPlaceResult, asideResult] = await Promise.allSettled([
    projector
      .rebuild([inPlace.name, ...alsoInPlace], {
        batchSize: options.batchSize,
        onProgress: (progress) => {
          inPlaceProgress = progress;
          report();
        },
      })
      .catch((error) => {
        stop();
        throw error;
      }),
    worker.done.catch((error) => {
      stop();
      throw error;
    }),
  ]);
  try {
    if (inPlaceResult.status === 'rejected') throw inPlaceResult.reason;
    if (asideResult.status === 'rejected') throw asideResult.reason;
    await readModels.withAttached(sideFile, 'rebuilt', (tx) =>
      projector.adoptRebuilt(
        tx,
        'rebuilt',
        aside.map((p) => p.name),
      ),
    );
  } finally {
    removeDatabaseFiles(sideFile);
  }
  if (stopping) return inPlaceResult.value;
  return inPlaceResult.value + (await projector.catchUp(options.batchSize, options.onProgress));
}

interface AsideWorker {
  readonly done: Promise<number>;
  onProgress: (progress: ProjectorProgress[]) => void;
  stop(): void;
}

function startWorker(request: AsideRebuildRequest): AsideWorker {
  const worker = workerFromFile(path.join(__dirname, `aside-rebuild.worker${path.extname(__filename)}`), request, {
    maxYoungGenerationSizeMb: ASIDE_YOUNG_GENERATION_MB,
  });
  const handle: AsideWorker = {
    onProgress: () => undefined,
    stop: () => worker.postMessage('stop'),
    done: new Promise<number>((resolve, reject) => {
      worker.on('message', (message: AsideRebuildMessage) => {
        if ('progress' in message) handle.onProgress(message.progress);
        else if ('done' in message) resolve(message.done);
        else reject(new Error(`the rebuild's worker thread failed: ${message.error}`));
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`the rebuild's worker thread exited (code ${code}) before it finished`)));
    }).finally(() => void worker.terminate()),
  };
  return handle;
}

function removeDatabaseFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}
