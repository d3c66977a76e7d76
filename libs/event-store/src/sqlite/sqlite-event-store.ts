import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import { mkdirSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { appendResult, planAppend, requestedEventIds, requestedStreamIds, type AppendPlan, type StoredBody } from '../append-plan';
import { NotAllNewError, StoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventHeader,
  EventStore,
  EventStoreHealth,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamRead,
} from '../event-store.port';
import { migrateEventStoreSchema } from './sqlite-event-store.schema';
import { useWriteAheadLog } from './write-ahead-log';

export interface SqliteEventStoreOptions {
  /** How long to wait for another connection's write lock before giving up. Default 5,000 ms. */
  busyTimeoutMs?: number;
  /**
   * `NORMAL` (default) survives a crash of the process but may lose the last commits on power loss
   * or an OS crash; `FULL` makes every append durable at the cost of an fsync per append.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** The clock of `recordedAt` (tests and tools replaying a history give their own). Default: the system clock. */
  clock?: () => Date;
  /**
   * WAL pages after which a commit of this connection copies the log back into the file
   * (`wal_autocheckpoint`). Default 10,000 (about 40 MiB of log) rather than SQLite's 1,000:
   * random uuid event ids dirty index pages all over the file, and checkpointing ten times less
   * often writes each page once for many commits instead of once for every few. Appends took 15%
   * less CPU at 100,000 events and 25% less at 1,000,000 (bench/write-path.bench.ts); durability
   * is unchanged (commits are in the log either way).
   */
  walAutocheckpointPages?: number;
}

/** See SqliteEventStoreOptions.walAutocheckpointPages. */
export const SQLITE_WAL_AUTOCHECKPOINT_PAGES = 10_000;

const COLUMNS = 'position, stream_id, revision, event_id, type, data, occurred_at, recorded_at';
/** A row of COLUMNS as an array, in that order. */
type EventTuple = [number, string, number, string, string, string, string, string];

/**
 * Ids per duplicate lookup. One fixed-width `IN (...)` statement padded with NULLs (which match
 * nothing) keeps to statements prepared once; for 1,000 ids it was about twice as fast as 1,000
 * single-row lookups, and wider chunks gained nothing.
 */
const LOOKUP_CHUNK = 100;

/** The optimistic plan's view of the log (see appendNow). */
const NOTHING_STORED: ReadonlyMap<string, StoredBody> = new Map();

/** Error codes that mean "the database is busy or its disk is in trouble", not "your request is wrong". */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL)/;
/** Of those, the ones that mean "no writes for now": a full disk, a read-only file, a failing device. */
const UNWRITABLE_CODES = /^SQLITE_(IOERR|FULL|CANTOPEN|READONLY)/;
/** Free space below which `health()` says the store is not writable (the next appends would fail). */
const MIN_FREE_BYTES = 8 * 1024 * 1024;

/**
 * The embedded event store: one SQLite file in WAL mode, so readers (projections, HTTP queries)
 * never block the writer. The global position is the table's rowid.
 */
export class SqliteEventStore implements EventStore {
  readonly name = 'sqlite';

  private readonly insertEvent: Statement<[string, number, string, string, string, string, string]>;
  private readonly selectByEventIds: Statement<(string | null)[], EventTuple>;
  private readonly selectStreamRevision: Statement<[string], number | null>;
  private readonly selectStream: Statement<[string, number], EventTuple>;
  private readonly selectStreamUpTo: Statement<[string, number, number], EventTuple>;
  private readonly selectAll: Statement<[number, number], EventTuple>;
  private readonly selectAllHeaders: Statement<[number, number], [number, string, number, string, string]>;
  private readonly selectHead: Statement<[], number | null>;
  private readonly selectLastRecorded: Statement<[], string | null>;
  private readonly clock: () => Date;
  private readonly appendInTransaction: (requests: AppendRequest[], lookUpIds: boolean) => AppendResult;
  /** Set when an append failed for want of disk or write access; cleared by a write that succeeds. */
  private writeFailure: string | null = null;

  /**
   * The open database. Read models may live in this same file so that a projection's writes and
   * its checkpoint commit in one transaction; they must not write to the `events` table.
   */
  readonly db: Database;

  /** Opens (creating if needed) the file, or `':memory:'`, and brings its schema up to date. */
  static open(filename: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    if (filename !== ':memory:' && filename !== '') mkdirSync(dirname(filename), { recursive: true });
    const db = new BetterSqlite3(filename);
    try {
      const busyTimeoutMs = Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5000));
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      useWriteAheadLog(db, busyTimeoutMs);
      db.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
      db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(options.walAutocheckpointPages ?? SQLITE_WAL_AUTOCHECKPOINT_PAGES))}`);
      migrateEventStoreSchema(db);
      return new SqliteEventStore(db, options.clock ?? (() => new Date()));
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /**
   * Sets this connection's page cache to `mib` MiB (at least 1), from now on. Until then it is the
   * SQLite build's 16 MiB, which the write path wants (its index pages); a connection that reads
   * the log front to back once, as a rebuild does, needs little.
   */
  usePageCache(mib: number): void {
    this.db.pragma(`cache_size = -${Math.max(1, Math.trunc(mib)) * 1024}`);
  }

  private constructor(db: Database, clock: () => Date) {
    this.db = db;
    this.clock = clock;
    this.insertEvent = db.prepare(
      `INSERT INTO events (stream_id, revision, event_id, type, data, occurred_at, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    // Every read of events returns rows as arrays (raw), turned into events by one fromTuple: on
    // a rebuild, reading the log as row objects cost more than everything but the read models'
    // writes; arrays read it in 60% of the time.
    this.selectByEventIds = db
      .prepare<(string | null)[], EventTuple>(`SELECT ${COLUMNS} FROM events WHERE event_id IN (${Array(LOOKUP_CHUNK).fill('?').join(', ')})`)
      .raw(true);
    this.selectStreamRevision = db.prepare<[string], number | null>('SELECT max(revision) FROM events WHERE stream_id = ?').pluck();
    // Two statements, not one with LIMIT -1 for "no limit": a bound LIMIT made every read about
    // 12 µs slower (14 µs instead of 1.4 for a stream that does not exist yet, better-sqlite3
    // 12.11), and the write path reads the stream of every customer it has not seen lately.
    this.selectStream = db
      .prepare<[string, number], EventTuple>(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`)
      .raw(true);
    this.selectStreamUpTo = db
      .prepare<[string, number, number], EventTuple>(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?`)
      .raw(true);
    this.selectAll = db.prepare<[number, number], EventTuple>(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true);
    this.selectAllHeaders = db
      .prepare<[number, number], [number, string, number, string, string]>(
        'SELECT position, stream_id, revision, event_id, type FROM events WHERE position > ? ORDER BY position LIMIT ?',
      )
      .raw(true);
    this.selectHead = db.prepare<[], number | null>('SELECT max(position) FROM events').pluck();
    this.selectLastRecorded = db.prepare<[], string | null>('SELECT recorded_at FROM events ORDER BY position DESC LIMIT 1').pluck();

    // IMMEDIATE: take the write lock before the duplicate and revision reads, so no other
    // connection can append between the check and the insert.
    const transaction = db.transaction((requests: AppendRequest[], lookUpIds: boolean) => this.appendNow(requests, lookUpIds));
    this.appendInTransaction = (requests, lookUpIds) => transaction.immediate(requests, lookUpIds);
  }

  async append(requests: AppendRequest[]): Promise<AppendResult> {
    return this.writing(() => {
      try {
        return this.appendInTransaction(requests, false);
      } catch (error) {
        if (!(error instanceof LookUpIdsFirst)) throw error;
        return this.appendInTransaction(requests, true);
      }
    });
  }

  /** `append`'s first transaction alone (see appendNow): where `append` would look the ids up and try again, a NotAllNewError. */
  async appendNew(requests: AppendRequest[]): Promise<AppendResult> {
    return this.writing(() => {
      try {
        return this.appendInTransaction(requests, false);
      } catch (error) {
        if (error instanceof LookUpIdsFirst) throw new NotAllNewError(error.reason);
        throw error;
      }
    });
  }

  /** An append, remembering whether the disk or write access failed it (for health). */
  private writing(append: () => AppendResult): AppendResult {
    try {
      const result = this.guard(append);
      this.writeFailure = null;
      return result;
    } catch (error) {
      const code = ((error as { cause?: { code?: unknown } }).cause ?? (error as { code?: unknown }))?.code;
      if (typeof code === 'string' && UNWRITABLE_CODES.test(code)) this.writeFailure = `${code}: ${(error as Error).message}`;
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const fromRevision = options.fromRevision ?? 0;
    const { limit } = options;
    return this.guard(() =>
      (limit === undefined ? this.selectStream.all(streamId, fromRevision) : this.selectStreamUpTo.all(streamId, fromRevision, limit)).map(fromTuple),
    );
  }

  /** All of them in one synchronous step (one read transaction, no turn of the event loop between streams). */
  async readStreams(reads: readonly StreamRead[]): Promise<StoredEvent[][]> {
    return this.guard(() => reads.map(({ streamId, fromRevision = 0 }) => this.selectStream.all(streamId, fromRevision).map(fromTuple)));
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    return this.guard(() => this.selectAll.all(options.after, Math.max(0, options.limit)).map(fromTuple));
  }

  async readAllHeaders(options: ReadAllOptions): Promise<EventHeader[]> {
    return this.guard(() =>
      this.selectAllHeaders
        .all(options.after, Math.max(0, options.limit))
        .map(([position, streamId, revision, eventId, type]) => ({ position, streamId, revision, eventId, type })),
    );
  }

  async findByEventIds(eventIds: string[]): Promise<Map<string, StoredEvent>> {
    return this.guard(() => {
      const found = new Map<string, StoredEvent>();
      for (const row of this.lookUp([...new Set(eventIds)])) {
        const event = fromTuple(row);
        found.set(event.eventId, event);
      }
      return found;
    });
  }

  async streamRevision(streamId: string): Promise<number> {
    return this.guard(() => this.selectStreamRevision.get(streamId) ?? -1);
  }

  async headPosition(): Promise<number> {
    // Exact here: SQLite has one writer and a commit is visible whole, so no lower position can
    // still be in flight when a higher one is readable.
    return this.guard(() => this.selectHead.get() ?? 0);
  }

  async health(): Promise<EventStoreHealth> {
    let position: number;
    try {
      position = await this.headPosition();
    } catch (error) {
      return { store: this.name, ok: false, position: 0, detail: error instanceof Error ? error.message : String(error), writable: false };
    }
    const writeDetail = this.writeProblem();
    return { store: this.name, ok: true, position, writable: writeDetail === null, ...(writeDetail ? { writeDetail } : {}) };
  }

  /**
   * Why appends would fail now, or null. After a failed append, a probe write (one row of its own
   * table, committed) tells whether space or access came back, so health recovers without
   * waiting for the next client's append; and free space is read from the file system.
   */
  private writeProblem(): string | null {
    if (this.db.name !== ':memory:' && this.db.name !== '') {
      try {
        const disk = statfsSync(dirname(this.db.name));
        const free = Number(disk.bavail) * Number(disk.bsize);
        if (free < MIN_FREE_BYTES) return `the disk of ${dirname(this.db.name)} has ${Math.floor(free / 1024)} KiB free; free some space`;
      } catch {
        // a file system that cannot say its free space: rely on the writes themselves
      }
    }
    if (this.writeFailure === null) return null;
    try {
      this.db.exec('CREATE TABLE IF NOT EXISTS write_probe (id INTEGER PRIMARY KEY, at TEXT NOT NULL)');
      this.db.prepare('INSERT INTO write_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(new Date().toISOString());
      this.writeFailure = null;
      return null;
    } catch (error) {
      return `appends fail: ${(error as Error).message} (${this.writeFailure})`;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /**
   * Almost every append stores only new events, and the event_id UNIQUE index looks each id up as
   * it inserts anyway: so the first transaction (`lookUpIds` false) plans as if none of the ids
   * were stored and writes that plan. Only when the index finds an id stored, or a revision does
   * not match (which a retry of events already stored may explain), is that transaction rolled back
   * and the append run again in a second one that looks every id up first: the answer is the one
   * the second transaction alone would give, and the usual append skips a B-tree search per event
   * (its caller has usually just looked the ids up itself). Rolled back whole rather than to a
   * savepoint: a savepoint made SQLite copy every page it changed to a sub-journal, which cost more
   * CPU than the lookups saved.
   */
  private appendNow(requests: AppendRequest[], lookUpIds: boolean): AppendResult {
    const revisions = new Map<string, number>();
    for (const streamId of requestedStreamIds(requests)) {
      revisions.set(streamId, this.selectStreamRevision.get(streamId) ?? -1);
    }
    if (!lookUpIds) {
      try {
        return this.write(planAppend(requests, NOTHING_STORED, revisions));
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) throw new LookUpIdsFirst('revision');
        if (isUniqueViolation(error)) throw new LookUpIdsFirst('stored-event-id');
        throw error;
      }
    }
    const stored = new Map<string, StoredBody>();
    for (const [position, streamId, revision, eventId, type, data, occurredAt] of this.lookUp(requestedEventIds(requests))) {
      stored.set(eventId, { eventId, streamId, type, data, occurredAt, position, revision });
    }
    return this.write(planAppend(requests, stored, revisions));
  }

  private write(plan: AppendPlan): AppendResult {
    // Never before the last event's: recorded times rise with the position (even when the system
    // clock steps back), so "recorded by T" is a prefix of the log and as-of views can rely on it.
    const now = this.clock().toISOString();
    const last = plan.writes.length > 0 ? this.selectLastRecorded.get() : null;
    const recordedAt = last !== null && last !== undefined && last > now ? last : now;
    const positions = plan.writes.map((write) =>
      Number(this.insertEvent.run(write.streamId, write.revision, write.eventId, write.type, write.data, write.occurredAt, recordedAt).lastInsertRowid),
    );
    return appendResult(plan, positions);
  }

  private lookUp(eventIds: string[]): EventTuple[] {
    const rows: EventTuple[] = [];
    for (let start = 0; start < eventIds.length; start += LOOKUP_CHUNK) {
      const chunk: (string | null)[] = eventIds.slice(start, start + LOOKUP_CHUNK);
      while (chunk.length < LOOKUP_CHUNK) chunk.push(null);
      rows.push(...this.selectByEventIds.all(...chunk));
    }
    return rows;
  }

  /** Maps "closed" and "busy" to the port's retryable error; everything else passes through. */
  private guard<T>(work: () => T): T {
    if (!this.db.open) throw new StoreUnavailableError('the sqlite event store is closed');
    try {
      return work();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && UNAVAILABLE_CODES.test(code)) {
        throw new StoreUnavailableError(`sqlite event store unavailable: ${(error as Error).message}`, error);
      }
      throw error;
    }
  }
}

/** The first transaction of an append met a stored event id or a revision conflict: run it again with lookups (see appendNow). */
class LookUpIdsFirst extends Error {
  constructor(readonly reason: NotAllNewError['reason']) {
    super(`append again with lookups (${reason})`);
  }
}

/** An insert refused by a UNIQUE index (an event id already stored, in practice). */
function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function fromTuple([position, streamId, revision, eventId, type, data, occurredAt, recordedAt]: EventTuple): StoredEvent {
  return { eventId, streamId, revision, position, type, data: JSON.parse(data) as Record<string, unknown>, occurredAt, recordedAt };
}
