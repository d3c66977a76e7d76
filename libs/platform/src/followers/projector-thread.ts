import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { EventStore } from '@journeyline/event-store';
import {
  Projector,
  SharedWriteLock,
  type Projection,
  type ProjectorOptions,
  type ProjectorProgress,
  type RunFailure,
  type SqliteReadModelDatabase,
  waitForPosition,
  workerFromFile,
} from '@journeyline/projections';
import type { JourneylineConfig } from '../config/journeyline-config';
import { ThreadCalls, type CallAnswer, type CallProgress } from '../threads/thread-calls';

/** What the projector says when it parks an event (logged by the followers). */
export type ParkedNotice = Parameters<NonNullable<ProjectorOptions['onParked']>>[0];

/** What the followers and the routes ask of the projector, wherever it runs (Projector has all of it). */
export interface LiveProjector {
  init(): Promise<void>;
  start(onProgress?: (progress: ProjectorProgress[]) => void): Promise<void>;
  /** Applies what is waiting now; resolves with the events applied. */
  catchUp(): Promise<number>;
  wake(): void;
  progress(): Promise<ProjectorProgress[]>;
  position(): Promise<number>;
  waitFor(position: number, timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
  readonly lastFailure: RunFailure | null;
}

/** Messages from the main thread to the projector's thread. */
export type ProjectorThreadRequest = { id: number; call: 'init' | 'start' | 'catchUp' | 'stop' } | { call: 'wake' };

/** Messages from the projector's thread. */
export type ProjectorThreadMessage =
  CallAnswer<unknown> | CallProgress<ProjectorProgress[]> | { failure: RunFailure | null } | { error: string } | { parked: ParkedNotice };

export interface ProjectorThreadData {
  config: JourneylineConfig;
  writeLock: SharedArrayBuffer;
}

export interface ProjectorThreadOptions {
  /** A transaction failed (logged by the caller; the thread tries again on the next wake-up). */
  onError?: (error: Error) => void;
  onParked?: (parked: ParkedNotice) => void;
  /** The thread ended without being asked (it is started again a second later). */
  onExit?: (error: Error) => void;
}

/** A thread that ended unasked is started again after this long. */
const RESTART_AFTER_MS = 1000;

/**
 * The projector on a thread of its own (worker_threads), for the embedded SQLite store: folding
 * the log into the read models took some 60% of a server's CPU under batch ingestion, all of it on
 * the event loop's thread, so every request waited for the projections and the second core idled.
 * Here the thread opens the same files (the log, the key vault for the customer search, the read
 * models) and runs the same Projector; this side keeps the same interface (LiveProjector).
 *
 * - Progress, positions and read-your-writes (`waitFor`) are read from the read models'
 *   checkpoints, which the thread commits with every transaction, through this thread's own
 *   reader: nothing to ask the thread.
 * - The read-model file has writers on both threads (the churn-risk and follow-up processes,
 *   webhooks, admin work stay here); they take turns through a SharedWriteLock taken before
 *   `BEGIN`, so the event loop never sleeps in SQLite's busy handler while the thread commits.
 * - A thread that ends without being asked (it should not) gives back the lock if it held it, says
 *   so (`onExit`, and `lastFailure` for /health), and is started again a second later; its last
 *   transaction was rolled back with its connection, so nothing is applied twice or lost.
 */
export class ProjectorThread implements LiveProjector {
  private worker: Worker | null = null;
  private readonly calls = new ThreadCalls<unknown, ProjectorProgress[]>();
  private failure: RunFailure | null = null;
  private stopped = false;
  private readonly lock: SharedWriteLock;
  /** The same projections over this thread's connections: never started, it reads positions only. */
  private readonly local: Projector;

  constructor(
    store: EventStore,
    readModels: SqliteReadModelDatabase,
    /** The projections the thread runs (journeylineProjections of the same configuration): here for their names and versions. */
    projections: readonly Projection[],
    private readonly config: JourneylineConfig,
    private readonly options: ProjectorThreadOptions = {},
  ) {
    this.lock = new SharedWriteLock(readModels.shareWriteLock());
    this.local = new Projector(store, readModels, projections);
  }

  get lastFailure(): RunFailure | null {
    return this.failure;
  }

  init(): Promise<void> {
    return this.ask('init') as Promise<void>;
  }

  start(onProgress?: (progress: ProjectorProgress[]) => void): Promise<void> {
    return this.ask('start', onProgress) as Promise<void>;
  }

  catchUp(): Promise<number> {
    return this.ask('catchUp') as Promise<number>;
  }

  wake(): void {
    if (this.stopped) return;
    this.thread().postMessage({ call: 'wake' } satisfies ProjectorThreadRequest);
  }

  progress(): Promise<ProjectorProgress[]> {
    return this.local.progress();
  }

  position(): Promise<number> {
    return this.local.position();
  }

  /** Resolves once every projection has applied `position` (read-your-writes), or after `timeoutMs`. */
  waitFor(position: number, timeoutMs = 2000): Promise<boolean> {
    return waitForPosition(this, position, timeoutMs);
  }

  /** Lets the transaction in hand finish, then ends the thread. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    const worker = this.worker;
    if (worker) await this.ask('stop').catch(() => undefined);
    this.stopped = true;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private ask(call: 'init' | 'start' | 'catchUp' | 'stop', onProgress?: (progress: ProjectorProgress[]) => void): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error('the projector thread was stopped'));
    return this.calls.send(this.thread(), (id) => ({ id, call }) satisfies ProjectorThreadRequest, onProgress);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const data: ProjectorThreadData = { config: this.config, writeLock: this.lock.buffer };
    const worker = workerFromFile(path.join(__dirname, `projector-thread.worker${path.extname(__filename)}`), data);
    worker.on('message', (message: ProjectorThreadMessage) => this.received(message));
    // its id while it runs (a thread that has ended says -1)
    const threadId = worker.threadId;
    worker.on('error', (error) => this.lost(worker, threadId, error));
    worker.on('exit', (code) => this.lost(worker, threadId, new Error(`the projector thread exited with code ${code}`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private received(message: ProjectorThreadMessage): void {
    if ('failure' in message) {
      this.failure = message.failure === null ? null : { error: message.failure.error, since: new Date(message.failure.since) };
      return;
    }
    if ('error' in message) return this.options.onError?.(new Error(message.error));
    if ('parked' in message) return this.options.onParked?.(message.parked);
    this.calls.received(message);
  }

  private lost(worker: Worker, threadId: number, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    // it may have died between taking the lock and giving it back: its connection is gone, so is its transaction
    this.lock.releaseFor(threadId);
    this.calls.failAll(error);
    if (this.stopped) return;
    this.failure = { error: `${error.name}: ${error.message}`, since: this.failure?.since ?? new Date() };
    this.options.onExit?.(error);
    // a new thread catches up from the checkpoints and follows again
    setTimeout(() => {
      if (!this.stopped && !this.worker) this.start().catch((failed: Error) => this.options.onError?.(failed));
    }, RESTART_AFTER_MS).unref();
  }
}
