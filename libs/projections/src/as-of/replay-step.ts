import type { EventStore } from '@journeyline/event-store';
import { collectGarbageNow } from '../runtime/full-collection';
import type { Projection } from '../runtime/projection';
import { Projector, type ProjectorOptions } from '../runtime/projector';
import { SqliteReadModelDatabase } from '../sqlite/sqlite-read-model-database';
import { LogPrefix } from './log-prefix';
import { RecordedUntil } from './recorded-until';

/** The projections a replay rebuilds, reading the log as it was (`log`: what they read back, as the journey map does). */
export type ReplayedReadModels = (log: EventStore) => Projection[];

/**
 * The work of a replay, applied to a scratch read-model file that nobody else has open meanwhile:
 * - `as-of`: the log as it was at `asOf` (its events recorded by then), from position `from` on
 *   (the position after a snapshot's; 0 for the whole log);
 * - `prefix`: the `count` events after position `after` (a step of the snapshot builder).
 */
export type ReplayStep = { kind: 'as-of'; file: string; asOf: string; from: number } | { kind: 'prefix'; file: string; after: number; count: number };

export interface ReplayStepResult {
  /** Events of the log read. */
  eventsRead: number;
  /** `prefix`: the last position applied and the latest recordedAt among the events (ISO, '' when none). */
  lastPosition: number;
  recordedUntil: string;
  /**
   * `as-of`: when the file now holds a prefix of the log (every event up to `position`, none after;
   * always on SQLite, whose recorded times rise with the position), that prefix and the latest
   * recordedAt among the events this step applied ('' when none). A later as-of read may start
   * from a copy of it, as from a snapshot.
   */
  prefix?: { position: number; recordedUntil: string };
}

/**
 * Where replays run: here (`ReplayHere`), or on a thread of their own (the server's ReplayThread),
 * so a replay of 100,000 events does not take the event loop from every other request for seconds.
 * Steps are given one at a time.
 */
export interface ReplayRunner {
  run(step: ReplayStep): Promise<ReplayStepResult>;
  /** Ends the running `prefix` step at its next read of the log (what it applied is committed). */
  stop(): void;
  close(): Promise<void>;
}

/**
 * An as-of replay runs beside everything else: transactions of 10,000 events, each followed by a
 * full garbage collection (V8 would let the garbage of 50,000-event ones grow the heap first).
 * On the benchmark's data, 10 as-of reads one after another: the server's peak RSS 968 -> 519 MiB,
 * the reads' median 6.0 -> 6.4-6.9 s (runs on this VM differ by that much).
 */
const AS_OF_OPTIONS: ProjectorOptions = { catchUpBatchSize: 10_000, maxFollowBatchSize: 10_000, collectGarbageAfter: 10_000 };
/** Events of a builder's step after which a full garbage collection follows (on the benchmark's log: 455 MiB peak RSS while building without it, under 300 with it). */
const LONG_PREFIX = 5_000;

/** Applies `step` to its file with the projections of `readModels`, reading `store`; `running` is told the prefix being read, so it can be stopped. */
export async function runReplayStep(
  store: EventStore,
  readModels: ReplayedReadModels,
  step: ReplayStep,
  running?: (prefix: LogPrefix | null) => void,
): Promise<ReplayStepResult> {
  // a scratch file: no log, no fsync (whoever made it throws it away after a crash)
  const db = SqliteReadModelDatabase.open(step.file, { scratch: true });
  try {
    if (step.kind === 'as-of') {
      const log = new RecordedUntil(store, new Date(step.asOf), step.from);
      await new Projector(log, db, readModels(log), AS_OF_OPTIONS).catchUp();
      const prefix = log.prefixApplied();
      return { eventsRead: log.eventsRead, lastPosition: 0, recordedUntil: '', ...(prefix ? { prefix } : {}) };
    }
    const log = new LogPrefix(store, step.after, step.count);
    running?.(log);
    try {
      await new Projector(log, db, readModels(log)).catchUp();
    } finally {
      running?.(null);
    }
    // almost nothing of a long step stays alive, but V8 would grow the heap with its garbage before collecting it
    // (a short one, following a live log, is left to V8: a full collection every poll would pause requests)
    if (log.eventsRead >= LONG_PREFIX) collectGarbageNow();
    return { eventsRead: log.eventsRead, lastPosition: log.lastPosition, recordedUntil: log.recordedUntil };
  } finally {
    await db.close();
  }
}

/** Replays on this thread (tests, the CLI, read models without a thread of their own). */
export class ReplayHere implements ReplayRunner {
  private prefix: LogPrefix | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReplayedReadModels,
  ) {}

  run(step: ReplayStep): Promise<ReplayStepResult> {
    return runReplayStep(this.store, this.readModels, step, (prefix) => (this.prefix = prefix));
  }

  stop(): void {
    this.prefix?.stop();
  }

  async close(): Promise<void> {
    this.stop();
  }
}
