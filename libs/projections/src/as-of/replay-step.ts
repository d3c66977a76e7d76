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
 *   (the position after a snapshot's; 0 for the whole log), in transactions of `transactionEvents`
 *   (default AS_OF_TRANSACTION_EVENTS);
 * - `prefix`: the `count` events after position `after` (a step of the snapshot builder).
 */
export type ReplayStep =
  { kind: 'as-of'; file: string; asOf: string; from: number; transactionEvents?: number } | { kind: 'prefix'; file: string; after: number; count: number };

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
 * Events in one transaction of an as-of replay, by default (JOURNEYLINE_AS_OF_TRANSACTION_EVENTS).
 * A transaction reads and writes each customer it touches once, and the customers of a stretch of
 * the log come back within it: of the benchmark's log, the 60,000 events after position 600,000
 * touch 22,400 customers counted per 10,000-event transaction, 9,200 in one. So longer ones replay
 * faster and hold more memory until they end (the persons they touched, and their garbage).
 * Measured on 2026-12-07 (the README's Benchmarks):
 * - the 100,000 events after that position replayed onto a copy of a snapshot, on one thread with
 *   the replay thread's heap settings: 13.0-13.3 s in transactions of 10,000, 6.8-7.3 s in ones of
 *   50,000, at 181-188 and 240-257 MiB peak RSS;
 * - twelve as-of reads at the same moments on a server: 92-107 s in all with 10,000 (peak 311-314 MiB),
 *   82 s with 25,000 (334), 63-68 s with 50,000 (355-365), 58 s with 100,000 (367);
 * - the benchmark with the ladder built within the run: the server's peak 482 MiB with 10,000, 510
 *   with 25,000, 527 with 50,000. Hence 10,000: the server stays under 512 MiB.
 */
export const AS_OF_TRANSACTION_EVENTS = 10_000;

/**
 * An as-of replay runs beside everything else, in transactions of `events` (fewer when the journey
 * map has grown the heap by its budget), each followed by a full garbage collection (V8 would let
 * their garbage grow the heap first).
 */
function asOfOptions(events: number): ProjectorOptions {
  return { batchSize: events, catchUpBatchSize: events, maxFollowBatchSize: events, collectGarbageAfter: Math.min(events, 10_000) };
}
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
      await new Projector(log, db, readModels(log), asOfOptions(step.transactionEvents ?? AS_OF_TRANSACTION_EVENTS)).catchUp();
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
