import * as fs from 'node:fs';
import type { EventStore } from '@journeyline/event-store';
import type { Projection } from '../runtime/projection';
import { SqliteReadModelDatabase } from '../sqlite/sqlite-read-model-database';
import type { ReplayRunner } from './replay-step';
import type { SnapshotLadder, Snapshot, SnapshotMeta } from './snapshot-ladder';

/** The erased customers (PersonalData has it): what a snapshot made before their erasure must forget. */
export interface ErasedCustomers {
  erasedCustomers(): Promise<string[]>;
}

/** The snapshot ladder of one set of replayed read models (see AsOfReplays). */
export interface AsOfSnapshotOptions {
  /** Where this set's snapshots live: `<JOURNEYLINE_DATA_DIR>/as-of-snapshots/<set>`. */
  dir: string;
  /** A snapshot every this many events of the log (JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS); 0: none, every read replays the whole log. */
  everyEvents: number;
  /** What else the folds depend on (the time zone): snapshots made under other settings are deleted. */
  settings: string;
  /** Needed when a read model keeps something of opened personal data (a projection with `forget`). */
  erasures?: ErasedCustomers;
  /** Snapshots kept at most (default 12): more are thinned evenly, the newest always kept. */
  maxKept?: number;
  /** How often the builder looks whether the log has grown (default 2 s). */
  pollMs?: number;
  /**
   * Whether the live read models are behind the log (the server's projector catching up after a
   * burst): the builder waits for them as it waits for a pause in writes, so its replay of the same
   * events does not take the CPU from theirs.
   */
  busy?: () => Promise<boolean>;
  /** A failed build step or an unreadable snapshot (the step is tried again at the next look). */
  onError?: (error: unknown) => void;
}

export const DEFAULT_MAX_SNAPSHOTS = 12;
const CHECKPOINTS = 'projection_checkpoints';
/** Looks of the timer in a row that may find the log moving before the builder runs anyway (15 × 2 s). */
const BUSY_LOOKS = 15;

/** One build job at a time in the process, whatever its set: two sets' builders never hold their page caches and batches side by side. */
let buildTurn: Promise<unknown> = Promise.resolve();
function inTurn<T>(job: () => Promise<T>): Promise<T> {
  const run = buildTurn.then(job);
  buildTurn = run.catch(() => undefined);
  return run;
}

/** The set's projections, the versions they run, and who was erased: what a copy of a snapshot is checked and scrubbed against. */
export interface SnapshotSet {
  store: EventStore;
  projections: (log: EventStore) => Projection[];
  versions: Record<string, string>;
  /** Some projection keeps something of opened personal data (has `forget`). */
  forgets: boolean;
  erasures?: ErasedCustomers;
}

/**
 * Opens the snapshot copied to `file`, its checkpoints checked against its metadata. Null (the
 * snapshot deleted from the ladder, the copy removed) when the copy is no database or not that snapshot.
 * A copy is scratch (no log, no fsync): whoever made it throws it away after a crash.
 */
export async function openCopy(
  set: SnapshotSet,
  ladder: SnapshotLadder,
  snapshot: Snapshot,
  file: string,
  onError?: (error: unknown) => void,
): Promise<SqliteReadModelDatabase | null> {
  await fs.promises.copyFile(snapshot.file, file);
  let db: SqliteReadModelDatabase | null = null;
  try {
    db = SqliteReadModelDatabase.open(file, { scratch: true });
    await checkCheckpoints(set, db, snapshot.meta);
    return db;
  } catch (error) {
    await db?.close().catch(() => undefined);
    for (const leftover of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(leftover, { force: true });
    ladder.discard(snapshot);
    onError?.(new Error(`as-of snapshot ${snapshot.file} is unreadable and was deleted: ${error instanceof Error ? error.message : String(error)}`));
    return null;
  }
}

async function checkCheckpoints(set: SnapshotSet, db: SqliteReadModelDatabase, meta: SnapshotMeta): Promise<void> {
  const rows = await db.reader.all<{ name: string; position: number; version: string }>(`SELECT name, position, version FROM ${CHECKPOINTS}`);
  const byName = new Map(rows.map((r) => [r.name, r]));
  for (const [name, version] of Object.entries(set.versions)) {
    const row = byName.get(name);
    if (!row || row.version !== version || Number(row.position) !== meta.position)
      throw new Error(
        `its checkpoint for ${name} is ${row ? `${row.position} (version ${row.version})` : 'missing'}, not ${meta.position} (version ${version})`,
      );
  }
}

/**
 * Deletes what the read models derived from erased customers' opened personal data (the search's
 * tokens), as a replay, whose vault opens nothing of theirs, would never have made it. With
 * `secureDelete` the deleted bytes are overwritten in the file too (a snapshot kept on disk).
 * Returns how many customers the vault has erased.
 */
export async function forgetErased(set: SnapshotSet, db: SqliteReadModelDatabase, secureDelete = false): Promise<number> {
  if (!set.forgets || !set.erasures) return 0;
  const erased = await set.erasures.erasedCustomers();
  if (erased.length === 0) return 0;
  await db.transaction(async (tx) => {
    if (secureDelete) await tx.exec('PRAGMA secure_delete = ON');
    for (const projection of set.projections(set.store)) await projection.forget?.(erased, tx);
  });
  return erased.length;
}

/** Where the builder stands: a read-model file in the ladder's directory, ahead of the newest snapshot. */
interface Work {
  file: string;
  /** The newest snapshot's position when the work started from it (0: from nothing): if the ladder's newest changes, the work is dropped. */
  base: number;
  /** Every event up to here is applied. */
  position: number;
  events: number;
  recordedUntil: string;
  /** Events applied since the last snapshot written. */
  sinceSnapshot: number;
  /** Events between snapshots up to `strideUntil` (a long log with no ladder yet: `maxKept` snapshots, not one every `everyEvents`). */
  stride: number;
  strideUntil: number;
  /** The vault's count of erased customers when the work last forgot them. */
  erasedForgotten: number;
}

/**
 * Extends a snapshot ladder: from its newest snapshot (or from nothing) replays the log forward in
 * jobs of at most `everyEvents` events, each queued with the replays (`queued`: one at a time, so a
 * read waits behind one job at most; the `runner` replays it, on the server on a thread of its
 * own), and writes a snapshot every `everyEvents` events. On a long log with no ladder yet, it writes `maxKept`
 * snapshots evenly instead of one every `everyEvents` that thinning would delete at once. The
 * file it works on is opened for a job and closed after it (no page cache held between jobs), and
 * a snapshot is a copy of it. Before a job, snapshots made before an erasure are rewritten without
 * what they derived from the erased customers.
 */
export class SnapshotBuilder {
  private work: Work | null = null;
  private running: Promise<number> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The head of the log when a job last found nothing to do: looking again costs a job only once the log has moved (an erasure appends too). */
  private idleAt: number | null = null;
  /** The head at the timer's last look, and how many looks in a row found it moved (poll). */
  private lastLookHead: number | null = null;
  private busyLooks = 0;

  constructor(
    private readonly store: EventStore,
    private readonly set: SnapshotSet,
    private readonly ladder: SnapshotLadder,
    private readonly options: AsOfSnapshotOptions,
    private readonly queued: <T>(job: () => Promise<T>) => Promise<T>,
    /** Runs each step's replay (here, or on the server's replay thread). */
    private readonly runner: ReplayRunner,
  ) {}

  /** Extends the ladder now and whenever the log has grown (looked at every `pollMs`), until `stop()`. */
  start(): void {
    if (this.timer || this.stopped) return;
    // what a process that stopped mid-job left
    this.ladder.clearWork();
    const onError = this.options.onError ?? (() => undefined);
    this.timer = setInterval(() => this.poll().catch(onError), this.options.pollMs ?? 2000);
    this.timer.unref();
    this.poll().catch(onError);
  }

  /**
   * A look of the timer: while the log is being written to (its head moved since the last look)
   * or the live read models are behind it (`busy`), the builder waits, so a burst of ingestion
   * does not share the CPU with a replay of the same events. Under writes that never pause it
   * still runs a job every BUSY_LOOKS-th look; after a pause, every job that is due, until the log
   * moves or the read models fall behind again.
   */
  private async poll(): Promise<number> {
    if (this.running) return 0;
    const head = await this.store.headPosition();
    const moved = this.lastLookHead !== null && head !== this.lastLookHead;
    this.lastLookHead = head;
    const waiting = moved || (await this.busy());
    if (waiting && ++this.busyLooks < BUSY_LOOKS) return 0;
    this.busyLooks = 0;
    return this.extend({ whileQuiet: true });
  }

  private async busy(): Promise<boolean> {
    return (await this.options.busy?.()) === true;
  }

  /**
   * Runs jobs until the log holds too few events beyond the ladder for another snapshot, or
   * (`whileQuiet`, after the first job) the log has moved or the read models are behind since the
   * job before. Returns the snapshots written.
   */
  extend({ whileQuiet = false } = {}): Promise<number> {
    this.running ??= (async () => {
      try {
        let written = 0;
        let head = await this.store.headPosition();
        if (head === this.idleAt) return 0;
        for (;;) {
          // the process-wide turn first, then the set's queue: a read waits for its own set's jobs only
          const step = await inTurn(() => this.queued(() => this.job()));
          if (step === 'snapshot') written++;
          if (step === 'idle') this.idleAt = head;
          if (step === 'idle' || this.stopped) return written;
          if (!whileQuiet) continue;
          const now = await this.store.headPosition();
          if (now !== head || (await this.busy())) return written;
          head = now;
        }
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.runner.stop();
    await this.running?.catch(() => undefined);
    if (this.work) fs.rmSync(this.work.file, { force: true });
    this.work = null;
  }

  /**
   * Events between snapshots once the ladder reaches the head: `everyEvents`, or the log's length
   * over `maxKept` when that is more. Thinning keeps `maxKept` evenly spaced anyway, so a snapshot
   * every `everyEvents` on a long log would copy a large file only to delete one soon after:
   * spaced with the log, the copying costs the same share of the writes however long the log is.
   */
  private strideAt(events: number): number {
    return Math.max(this.options.everyEvents, Math.ceil(events / this.maxKept));
  }

  private get maxKept(): number {
    return this.options.maxKept ?? DEFAULT_MAX_SNAPSHOTS;
  }

  private async job(): Promise<'snapshot' | 'progress' | 'idle'> {
    if (this.stopped) return 'idle';
    const all = await this.scrubbed(this.ladder.list());
    const newest = all.length === 0 ? null : all[all.length - 1];
    if (this.work && this.work.base !== (newest?.meta.position ?? 0)) this.dropWork();
    if (!this.work) {
      const started = await this.startWork(newest);
      if (started !== 'started') return started;
    }
    const work = this.work!;
    work.erasedForgotten = await this.forgetNewlyErased(work);
    const step = await this.runner.run({
      kind: 'prefix',
      file: work.file,
      after: work.position,
      count: Math.min(this.options.everyEvents, work.stride - work.sinceSnapshot),
    });
    if (step.eventsRead > 0) work.erasedForgotten = await this.forgetNewlyErased(work);
    work.position = step.lastPosition;
    work.events += step.eventsRead;
    work.sinceSnapshot += step.eventsRead;
    if (step.recordedUntil > work.recordedUntil) work.recordedUntil = step.recordedUntil;
    if (this.stopped) return 'idle';
    // a long log's last stretch may be shorter than its stride: the head it started for gets a snapshot too
    const due =
      work.sinceSnapshot >= work.stride || (work.strideUntil > 0 && work.position >= work.strideUntil && work.sinceSnapshot >= this.options.everyEvents);
    if (!due) return step.eventsRead > 0 ? 'progress' : 'idle';
    await this.writeSnapshot(work);
    return 'snapshot';
  }

  /** Starts the work from the newest snapshot (or nothing) when the log holds `everyEvents` more; 'progress' when that snapshot was unreadable (deleted: the next job starts from the one before). */
  private async startWork(newest: Snapshot | null): Promise<'started' | 'progress' | 'idle'> {
    const after = newest?.meta.position ?? 0;
    const head = await this.store.headPosition();
    // positions never count fewer than the events between them: no snapshot is due yet
    if (head - after < this.strideAt(newest?.meta.events ?? 0)) return 'idle';
    const file = this.ladder.workFile('building');
    fs.rmSync(file, { force: true });
    if (newest) {
      const db = await openCopy(this.set, this.ladder, newest, file, this.options.onError);
      if (!db) return 'progress';
      await db.close();
    }
    const backlog = head - after;
    const long = backlog > this.options.everyEvents * this.maxKept;
    this.work = {
      file,
      base: after,
      position: after,
      events: newest?.meta.events ?? 0,
      recordedUntil: newest?.meta.recordedUntil ?? '',
      sinceSnapshot: 0,
      stride: long ? Math.ceil(backlog / this.maxKept) : this.strideAt(newest?.meta.events ?? 0),
      strideUntil: long ? head : 0,
      erasedForgotten: newest?.meta.erasedForgotten ?? 0,
    };
    return 'started';
  }

  private async writeSnapshot(work: Work): Promise<void> {
    const copy = this.ladder.workFile('writing');
    await fs.promises.copyFile(work.file, copy);
    const made = this.ladder.add(copy, {
      position: work.position,
      recordedUntil: work.recordedUntil,
      events: work.events,
      builtAt: new Date().toISOString(),
      erasedForgotten: work.erasedForgotten,
    });
    this.ladder.thin(this.maxKept);
    work.base = made.meta.position;
    work.sinceSnapshot = 0;
    if (work.position >= work.strideUntil) [work.stride, work.strideUntil] = [this.strideAt(work.events), 0];
  }

  private dropWork(): void {
    if (this.work) fs.rmSync(this.work.file, { force: true });
    this.work = null;
  }

  /**
   * Forgets the erased customers in the work file when the vault knows more of them than it has
   * forgotten; returns the vault's count then. (The work file is a scratch one: no write-ahead log,
   * no fsync; it is built again after a crash.)
   */
  private async forgetNewlyErased(work: Work): Promise<number> {
    if (!this.set.forgets || !this.set.erasures) return work.erasedForgotten;
    const count = (await this.set.erasures.erasedCustomers()).length;
    if (count <= work.erasedForgotten) return Math.max(work.erasedForgotten, count);
    const db = SqliteReadModelDatabase.open(work.file, { scratch: true });
    try {
      return Math.max(work.erasedForgotten, await forgetErased(this.set, db, true));
    } finally {
      await db.close();
    }
  }

  /** The snapshots, each rewritten without what it derived from customers erased since it was made (when some were). */
  private async scrubbed(all: Snapshot[]): Promise<Snapshot[]> {
    if (!this.set.forgets || !this.set.erasures || all.length === 0) return all;
    const erased = (await this.set.erasures.erasedCustomers()).length;
    const result: Snapshot[] = [];
    for (const snapshot of all) {
      if (snapshot.meta.erasedForgotten >= erased) {
        result.push(snapshot);
        continue;
      }
      const file = this.ladder.workFile('scrubbing');
      const db = await openCopy(this.set, this.ladder, snapshot, file, this.options.onError);
      if (!db) continue;
      let forgotten: number;
      try {
        forgotten = await forgetErased(this.set, db, true);
      } finally {
        await db.close();
      }
      result.push(this.ladder.replace(snapshot, file, { erasedForgotten: forgotten }));
    }
    return result;
  }
}
