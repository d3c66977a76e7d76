import BetterSqlite3, { type Database, type Statement } from 'better-sqlite3';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWriteAheadLog } from '@journeyline/event-store';
import type { ReadModelDatabase, SqlExecutor } from '../runtime/sql-executor';
import { QueryThread } from './query-thread';
import { SharedWriteLock } from './shared-write-lock';

/**
 * Read models in their own SQLite file beside the event log (`read-models.db`). A second file,
 * not the log's, because the projector holds a transaction open across awaits: on its own
 * connection that transaction can never swallow or block an HTTP append, and the whole file can
 * be deleted and rebuilt from the log. Queries use a second, read-only connection (WAL readers
 * never wait for the writer and never see uncommitted rows).
 */
export class SqliteReadModelDatabase implements ReadModelDatabase {
  readonly reader: SqlExecutor;
  private readonly writer: SqliteExecutor;
  private queue: Promise<unknown> = Promise.resolve();
  private queryThread: QueryThread | null = null;
  /** Taken around every write transaction once another thread writes this file too (see shareWriteLock). */
  private writeLock: SharedWriteLock | null = null;

  private constructor(
    /** The file (or `':memory:'`). */
    readonly filename: string,
    private readonly writeDb: Database,
    private readonly readDb: Database,
  ) {
    this.writer = new SqliteExecutor(writeDb);
    this.reader = new SqliteExecutor(readDb);
  }

  /**
   * The reads that sum many rows go to a thread of their own (query-thread.ts), started on the
   * first such read; an in-memory database has no file another connection could open: its reader.
   */
  get queries(): SqlExecutor {
    if (this.filename === ':memory:') return this.reader;
    return (this.queryThread ??= new QueryThread(this.filename));
  }

  /**
   * With `scratch`, a file nobody needs after a crash (an as-of replay's copy): no write-ahead log
   * and no fsync (each commit writes its pages into the file once). Its rollback journal, which the
   * projector's savepoints need, is a file beside it (deleted at each commit), not memory: a long
   * transaction over a large copy changes a good part of its pages, and a journal in memory held
   * the original of each (on the benchmark's data, a snapshot builder's 100,000-event step peaked at
   * 381-405 MiB RSS with it in memory and 269-283 with a file, 4-11% slower; a 100,000-event as-of
   * replay 280-284 against 242-248 MiB). Its writer keeps an 8 MiB page cache, not 32: a replay's
   * time is the projections' CPU, not page reads (30,000 events onto a copy of a 359 MB file took
   * 1.9-2.1 s with 8 MiB, 1.9-2.0 with 32 and 128), and a server's peak over twelve reads at random
   * moments was about 25 MiB lower. Its readers must wait until the writes are done.
   */
  static open(filename: string, { scratch = false } = {}): SqliteReadModelDatabase {
    if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
    const writeDb = new BetterSqlite3(filename);
    writeDb.pragma('busy_timeout = 5000');
    if (scratch) {
      writeDb.pragma('journal_mode = DELETE');
      writeDb.pragma('synchronous = OFF');
    } else {
      useWriteAheadLog(writeDb);
      writeDb.pragma('synchronous = NORMAL');
    }
    // 32 MiB: enough for the hot pages, and keeps a rebuild's RSS under 512 MiB; a scratch copy's replay 8 MiB (above)
    writeDb.pragma(scratch ? 'cache_size = -8192' : 'cache_size = -32768');
    const readDb = filename === ':memory:' ? writeDb : new BetterSqlite3(filename, { readonly: true });
    readDb.pragma('busy_timeout = 5000');
    // the queries' own page cache (default 2 MiB): a metric cut over 90 days reads a few hundred pages of its buckets
    if (readDb !== writeDb) readDb.pragma('cache_size = -32768');
    return new SqliteReadModelDatabase(filename, writeDb, readDb);
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.queued(() => this.inTransaction(work));
  }

  /**
   * The lock that lets another thread write this file beside this connection without making
   * either wait inside SQLite (shared-write-lock.ts): made on the first call, or taken from the
   * thread that made it (`buffer`); from then on every write transaction here takes it first.
   */
  shareWriteLock(buffer?: SharedArrayBuffer): SharedArrayBuffer {
    if (this.filename === ':memory:') throw new Error('an in-memory database cannot be written from another thread');
    this.writeLock ??= new SharedWriteLock(buffer);
    if (buffer && this.writeLock.buffer !== buffer) throw new Error('this database already shares another write lock');
    return this.writeLock.buffer;
  }

  /**
   * Runs `work` in one write transaction with another SQLite file attached as `schema`, so it can
   * copy tables from it (ATTACH cannot run inside a transaction; the file is detached after).
   */
  withAttached<T>(file: string, schema: string, work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.queued(async () => {
      this.writeDb.prepare(`ATTACH DATABASE ? AS ${schema}`).run(file);
      try {
        return await this.inTransaction(work);
      } finally {
        this.writeDb.exec(`DETACH DATABASE ${schema}`);
      }
    });
  }

  private async inTransaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.writeDb.exec('BEGIN IMMEDIATE');
    try {
      const result = await work(this.writer);
      this.writeDb.exec('COMMIT');
      return result;
    } catch (error) {
      if (this.writeDb.inTransaction) this.writeDb.exec('ROLLBACK');
      throw error;
    }
  }

  /** One writer at a time: the projector's transactions span awaits (and, once shared, one thread at a time). */
  private queued<T>(work: () => Promise<T>): Promise<T> {
    const run = () => (this.writeLock ? this.writeLock.withLock(work) : work());
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Hands the writer's page cache back (a scratch copy that will only be read from now on). */
  shrinkWriteCache(): void {
    this.writeDb.pragma('shrink_memory');
  }

  async close(): Promise<void> {
    await this.queue;
    await this.queryThread?.close();
    if (this.readDb !== this.writeDb) this.readDb.close();
    this.writeDb.close();
  }
}

/** Prepared statements are cached per SQL text: projections run the same few statements millions of times. */
class SqliteExecutor implements SqlExecutor {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  private prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<void> {
    this.prepare(sql).run(...params);
  }

  async exec(sql: string): Promise<void> {
    this.db.exec(sql);
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.prepare(sql).all(...params) as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return this.prepare(sql).get(...params) as T | undefined;
  }
}
