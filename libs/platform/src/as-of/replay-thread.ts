import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { workerFromFile, type ReplayRunner, type ReplayStep, type ReplayStepResult } from '@journeyline/projections';
import type { JourneylineConfig } from '../config/journeyline-config';
import { ThreadCalls, type CallAnswer } from '../threads/thread-calls';

/** The sets of replayed read models (see AsOfReplays): the per-customer ones and the metrics with their catalog and targets. */
export type ReplaySet = 'customers' | 'metrics';

export interface ReplayThreadData {
  config: JourneylineConfig;
  set: ReplaySet;
}

/** Messages to the replay thread: a step to run, or stop the running one. */
export type ReplayThreadRequest = { id: number; step: ReplayStep } | { stop: true };

/** Messages from the replay thread. */
export type ReplayThreadMessage = CallAnswer<ReplayStepResult>;

/** An idle thread ends after this long: its heap goes with it (the next step starts one again, in about a third of a second). */
const IDLE_MS = 30_000;
/**
 * The thread's young generation in MiB (a thread's default here is 48), as the rebuild's worker has:
 * on the benchmark's data, twelve reads at random moments peaked about 20 MiB lower at the same
 * speed (and 40 lower with the scratch copies' smaller page cache: sqlite-read-model-database.ts).
 */
const REPLAY_YOUNG_GENERATION_MB = 16;

/**
 * The as-of replays and the snapshot builder's steps on a thread of their own (worker_threads).
 * On the event loop's thread, a read as of a moment 100,000 events after a snapshot took it for
 * seconds: measured on the benchmark's data, the journey query's p99 went from 10 ms to 1,367 ms
 * and its rate from 1,038 to 25 requests/s while one ran. Here the thread opens the configured
 * log (and, for the per-customer set, the key vault the customer search opens names with) and
 * runs the same projections into the same scratch files; the caller reads a file once its step
 * is done. Steps run one at a time, in the order given. A thread that ended unasked fails its
 * step (the caller's read fails with why, the builder tries again later); the next step starts a
 * new one.
 */
export class ReplayThread implements ReplayRunner {
  private worker: Worker | null = null;
  private readonly steps = new ThreadCalls<ReplayStepResult>({
    onIdle: (worker) => {
      this.idle = setTimeout(() => this.retire(worker), IDLE_MS).unref();
    },
  });
  private idle: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly config: JourneylineConfig,
    private readonly set: ReplaySet,
  ) {}

  run(step: ReplayStep): Promise<ReplayStepResult> {
    if (this.closed) return Promise.reject(new Error('the replay thread was closed'));
    const worker = this.thread();
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    return this.steps.send(worker, (id) => ({ id, step }) satisfies ReplayThreadRequest);
  }

  stop(): void {
    this.worker?.postMessage({ stop: true } satisfies ReplayThreadRequest);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.idle) clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = null;
    // the store connections go with the thread; a step still running is abandoned with its scratch file
    if (worker) await worker.terminate();
    this.steps.failAll(new Error('the replay thread was closed'));
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const data: ReplayThreadData = { config: this.config, set: this.set };
    const worker = workerFromFile(path.join(__dirname, `replay-thread.worker${path.extname(__filename)}`), data, {
      maxYoungGenerationSizeMb: REPLAY_YOUNG_GENERATION_MB,
    });
    worker.on('message', (message: ReplayThreadMessage) => this.steps.received(message));
    worker.on('error', (error) => this.lost(worker, error));
    worker.on('exit', (code) => this.lost(worker, new Error(`the replay thread exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /** Ends an idle thread (the next step starts another). */
  private retire(worker: Worker): void {
    if (this.worker !== worker || this.steps.inFlight > 0) return;
    this.worker = null;
    void worker.terminate();
  }

  private lost(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    this.steps.failAll(error);
  }
}
