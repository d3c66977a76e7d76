import { escapeIdentifier, type Pool, type PoolClient, type QueryResultRow } from 'pg';
import { appendResult, planAppend, requestedEventIds, requestedStreamIds, type StoredBody } from '../append-plan';
import { DuplicateEventIdError, NotAllNewError, StoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
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
import { EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS, LOCK_APPENDING } from './postgres-event-store.schema';
import { migrate, type MigrationOutcome } from './postgres-migrations';
import { notificationChannel, PostgresNotifications, type AppendListener } from './postgres-notifications';
import { checkOut, createPool } from './postgres-pool';
import { toStoreError } from './postgres-unavailable';
import { RUNNING_APPENDS_SQL, visibleBound, type RunningAppends } from './postgres-visible-bound';

export interface PostgresEventStoreOptions {
  /** `postgres://user@host:5432/db`; ignored when `pool` is given. */
  connectionString?: string;
  /** Use this pool (the caller ends it) instead of making one. */
  pool?: Pool;
  /** Schema of the events table, created when missing. Default `public`. */
  schema?: string;
  /** Connections of the pool the store makes. Default 10. */
  maxConnections?: number;
  /** Attempts of one append while concurrent appends take the same revisions or event ids. Default 20. */
  maxAppendAttempts?: number;
  /**
   * Test seam: runs inside every append transaction that writes, after its events are inserted
   * and before COMMIT, so a test can hold a transaction open (commits out of order).
   */
  beforeCommit?: (written: { first: number; last: number }) => Promise<void>;
}

interface EventRow {
  position: string;
  stream_id: string;
  revision: number;
  event_id: string;
  type: string;
  data: string;
  occurred_at: string;
  recorded_at: string;
}

const COLUMNS = `position, stream_id, revision, event_id, type, data::text AS data, occurred_at,
  to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS recorded_at`;

/** A text[] from parameter `$n` sent as a JSON array of strings, in its order. */
function textArray(n: number): string {
  return `ARRAY(SELECT value FROM json_array_elements_text($${n}::json) WITH ORDINALITY AS t (value, i) ORDER BY i)`;
}

/** Unique violations and deadlocks between appends: re-read and plan again. */
const RACE_CODES = new Set(['23505', '40P01', '40001']);

/**
 * The PostgreSQL event store. One `events` table per schema; the global position is a bigint
 * handed out per append, in blocks, by `append_events()` (postgres-event-store.schema.ts).
 *
 * Appends: one READ COMMITTED transaction per call reads what is stored for the requested event
 * ids and streams, asks `planAppend` (the rules every adapter shares) what to write, and writes it
 * with one `append_events()` call, which also NOTIFYs. Two appends racing for the same stream
 * revision or event id meet at the unique constraints: the loser rolls back and plans again from
 * what the winner committed, which turns into the port's WrongExpectedRevisionError,
 * DuplicateEventIdError or a duplicate answer exactly as if the two had run one after the other.
 *
 * Reading all streams never skips an event committed out of order: `readAll` and `headPosition`
 * only hand out events of transactions older than every append still running (the transaction-id
 * technique of Marten, Emmett and transactional outboxes, refined; see postgres-visible-bound.ts).
 */
export class PostgresEventStore implements EventStore {
  /** The latest append that failed for want of space or on a read-only server; cleared by one that succeeds. */
  private writeFailure: { at: number; detail: string } | null = null;
  readonly name = 'postgres';
  readonly schema: string;

  private readonly table: string;
  private readonly appendFunction: string;
  private readonly channel: string;
  private notifications: PostgresNotifications | null = null;
  private closed = false;

  /** Opens a pool (unless one is given), creates the schema if needed and migrates it. */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'public';
    const ownsPool = options.pool === undefined;
    const pool = options.pool ?? createPool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
    try {
      await migrateEventStore(pool, schema);
    } catch (error) {
      if (ownsPool) await pool.end().catch(() => undefined);
      throw toStoreError(error, 'postgres event store');
    }
    return new PostgresEventStore(pool, ownsPool, schema, options);
  }

  private constructor(
    /** Shared with nothing else unless the caller passed it in. */
    readonly pool: Pool,
    private readonly ownsPool: boolean,
    schema: string,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.schema = schema;
    const s = escapeIdentifier(schema);
    this.table = `${s}.events`;
    this.appendFunction = `${s}.append_events`;
    this.channel = notificationChannel(schema);
  }

  async append(requests: AppendRequest[]): Promise<AppendResult> {
    if (requests.length === 0) return { events: [], streams: {} };
    const maxAttempts = this.options.maxAppendAttempts ?? 20;
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await this.appendOnce(requests);
        this.writeFailure = null;
        return result;
      } catch (error) {
        this.noteWriteFailure(error);
        if (!isRace(error)) throw toStoreError(error, 'postgres event store');
        if (attempt >= maxAttempts) {
          throw new StoreUnavailableError(`postgres event store: ${maxAttempts} attempts lost to concurrent appends on the same streams`, error);
        }
        // Jittered, growing pause: the winner is committing right now.
        await sleep(Math.random() * Math.min(50, 2 ** attempt));
      }
    }
  }

  /**
   * One transaction that does not look the event ids up: a stored id meets the unique constraint
   * instead, and that, a revision that does not match, or a race with another append, is a
   * NotAllNewError (nothing written; the caller looks up and appends the careful way).
   */
  async appendNew(requests: AppendRequest[]): Promise<AppendResult> {
    if (requests.length === 0) return { events: [], streams: {} };
    try {
      const result = await this.appendOnce(requests, false);
      this.writeFailure = null;
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) throw new NotAllNewError('revision');
      const { code, constraint } = (error ?? {}) as { code?: unknown; constraint?: unknown };
      if (code === '23505' && constraint === 'events_event_id') throw new NotAllNewError('stored-event-id');
      if (isRace(error)) throw new NotAllNewError('revision');
      this.noteWriteFailure(error);
      throw toStoreError(error, 'postgres event store');
    }
  }

  /** An append failed for want of space or on a read-only server: health says appends fail (see health). */
  private noteWriteFailure(error: unknown): void {
    const code = (error as { code?: unknown })?.code;
    // disk full (53100), out of memory or resources (53xxx), a read-only server (25006)
    if (typeof code === 'string' && /^(53...|25006)$/.test(code)) this.writeFailure = { at: Date.now(), detail: `${code}: ${(error as Error).message}` };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    const rows = await this.query<EventRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`, [
      streamId,
      options.fromRevision ?? 0,
      options.limit ?? null,
    ]);
    return rows.map(toStoredEvent);
  }

  /** One query for all of them: the write path reads every new customer of a batch so. */
  async readStreams(reads: readonly StreamRead[]): Promise<StoredEvent[][]> {
    if (reads.length === 0) return [];
    // a stream asked twice (from two revisions) is read once, from the lower: each read takes its own part
    const from = new Map<string, number>();
    for (const { streamId, fromRevision = 0 } of reads) from.set(streamId, Math.min(fromRevision, from.get(streamId) ?? fromRevision));
    const rows = await this.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table}
         JOIN unnest($1::text[], $2::bigint[]) AS wanted(stream, from_revision) ON stream_id = wanted.stream AND revision >= wanted.from_revision
        ORDER BY stream_id, revision`,
      [[...from.keys()], [...from.values()]],
    );
    const byStream = new Map<string, StoredEvent[]>();
    for (const row of rows) {
      const event = toStoredEvent(row);
      const events = byStream.get(event.streamId);
      if (events) events.push(event);
      else byStream.set(event.streamId, [event]);
    }
    return reads.map(({ streamId, fromRevision = 0 }) => (byStream.get(streamId) ?? []).filter((e) => e.revision >= fromRevision));
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    const running = await this.runningAppends();
    const rows = await this.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table}
        WHERE position > $1 AND transaction_id < ${visibleBound(3)}
        ORDER BY position LIMIT $2`,
      [options.after, Math.max(0, options.limit), running.unknown, running.horizon, running.xids],
    );
    return rows.map(toStoredEvent);
  }

  async readAllHeaders(options: ReadAllOptions): Promise<EventHeader[]> {
    const running = await this.runningAppends();
    const rows = await this.query<Pick<EventRow, 'position' | 'stream_id' | 'revision' | 'event_id' | 'type'>>(
      `SELECT position, stream_id, revision, event_id, type FROM ${this.table}
        WHERE position > $1 AND transaction_id < ${visibleBound(3)}
        ORDER BY position LIMIT $2`,
      [options.after, Math.max(0, options.limit), running.unknown, running.horizon, running.xids],
    );
    return rows.map((row) => ({ position: Number(row.position), streamId: row.stream_id, revision: row.revision, eventId: row.event_id, type: row.type }));
  }

  async findByEventIds(eventIds: string[]): Promise<Map<string, StoredEvent>> {
    const found = new Map<string, StoredEvent>();
    if (eventIds.length === 0) return found;
    const rows = await this.query<EventRow>(`SELECT ${COLUMNS} FROM ${this.table} WHERE event_id = ANY($1::text[])`, [[...new Set(eventIds)]]);
    for (const row of rows) found.set(row.event_id, toStoredEvent(row));
    return found;
  }

  async streamRevision(streamId: string): Promise<number> {
    const rows = await this.query<{ revision: number | null }>(`SELECT max(revision) AS revision FROM ${this.table} WHERE stream_id = $1`, [streamId]);
    return rows[0]?.revision ?? -1;
  }

  /** The highest position `readAll` would hand out now: events beyond it may still be joined by earlier ones. */
  async headPosition(): Promise<number> {
    const running = await this.runningAppends();
    const rows = await this.query<{ position: string }>(
      `SELECT position FROM ${this.table} WHERE transaction_id < ${visibleBound(1)} ORDER BY position DESC LIMIT 1`,
      [running.unknown, running.horizon, running.xids],
    );
    return rows.length === 0 ? 0 : Number(rows[0].position);
  }

  /**
   * Reads may work while appends fail for want of space (the server's disk) or on a read-only
   * server: health says so until an append succeeds or a minute has passed without another failure.
   */
  async health(): Promise<EventStoreHealth> {
    try {
      const position = await this.headPosition();
      const failure = this.writeFailure && Date.now() - this.writeFailure.at < 60_000 ? this.writeFailure : null;
      return { store: this.name, ok: true, position, writable: failure === null, ...(failure ? { writeDetail: `appends fail: ${failure.detail}` } : {}) };
    } catch (error) {
      return { store: this.name, ok: false, position: 0, detail: error instanceof Error ? error.message : String(error), writable: false };
    }
  }

  /**
   * Calls `listener` after every append to this schema commits, from any process, by LISTEN/NOTIFY
   * (the NOTIFY is sent inside the append transaction, so it arrives only once the events are
   * committed). A wake-up, not a delivery: a follower still reads from its checkpoint and keeps
   * polling as the fallback, because a NOTIFY can be missed while the listening connection is
   * down (the listener is then called with `null` once it is back) and an event announced here
   * may still wait in `readAll` for an older append to commit. Returns the unsubscribe function.
   */
  subscribe(listener: AppendListener): () => void {
    if (this.closed) throw new StoreUnavailableError('the postgres event store is closed');
    this.notifications ??= new PostgresNotifications(this.pool.options, this.channel);
    return this.notifications.subscribe(listener);
  }

  /** Resolves once subscriptions are listening (tests; a NOTIFY sent before that is not heard). */
  async listening(): Promise<void> {
    await this.notifications?.ready();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.notifications?.close();
    if (this.ownsPool) await this.pool.end();
  }

  private async appendOnce(requests: AppendRequest[], lookUpIds = true): Promise<AppendResult> {
    if (this.closed) throw new StoreUnavailableError('the postgres event store is closed');
    const { client, release } = await checkOut(this.pool, 'postgres event store');
    // Anything but a race or a port error leaves the connection in doubt (it may even hold the
    // allocation lock if it failed inside append_events): close it rather than pool it.
    let discard: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await this.appendInTransaction(client, requests, lookUpIds);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      if (!isRace(error) && !isPortError(error)) discard = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        discard ??= rollbackError;
      });
      throw error;
    } finally {
      release(discard);
    }
  }

  private async appendInTransaction(client: PoolClient, requests: AppendRequest[], lookUpIds: boolean): Promise<AppendResult> {
    // One round trip for both lookups, as JSON (positions stay far below 2^53); without lookUpIds
    // (appendNew) no id is looked up: a stored one fails the insert at its unique constraint.
    const { rows } = await client.query<{ stored: [string, string, string, string, string, number, number][]; revisions: [string, number][] }>(
      `SELECT
         (SELECT coalesce(json_agg(json_build_array(event_id, stream_id, type, data::text, occurred_at, position, revision)), '[]')
            FROM ${this.table} WHERE event_id = ANY($1::text[])) AS stored,
         (SELECT coalesce(json_agg(json_build_array(s.stream_id, coalesce((SELECT max(revision) FROM ${this.table} e WHERE e.stream_id = s.stream_id), -1))), '[]')
            FROM unnest($2::text[]) AS s (stream_id)) AS revisions`,
      [lookUpIds ? requestedEventIds(requests) : [], requestedStreamIds(requests)],
    );
    const stored = new Map<string, StoredBody>();
    for (const [eventId, streamId, type, data, occurredAt, position, revision] of rows[0].stored) {
      stored.set(eventId, { eventId, streamId, type, data, occurredAt, position, revision });
    }
    const revisions = new Map(rows[0].revisions);

    const plan = planAppend(requests, stored, revisions);
    if (plan.writes.length === 0) return appendResult(plan, []);

    const w = plan.writes;
    // The text arrays go as JSON arrays (escaped by JSON.stringify, unpacked by the server), not as
    // the driver's array literals: those escape every quote of every event's data in JavaScript.
    const written = await client.query<{ first: string }>(
      `SELECT ${this.appendFunction}(${textArray(1)}, $2, ${textArray(3)}, ${textArray(4)}, ${textArray(5)}, ${textArray(6)}, $7) AS first`,
      [
        JSON.stringify(w.map((e) => e.streamId)),
        w.map((e) => e.revision),
        JSON.stringify(w.map((e) => e.eventId)),
        JSON.stringify(w.map((e) => e.type)),
        JSON.stringify(w.map((e) => e.data)),
        JSON.stringify(w.map((e) => e.occurredAt)),
        this.channel,
      ],
    );
    const first = Number(written.rows[0].first);
    await this.options.beforeCommit?.({ first, last: first + w.length - 1 });
    return appendResult(
      plan,
      w.map((_, i) => first + i),
    );
  }

  private async runningAppends(): Promise<RunningAppends> {
    const rows = await this.query<RunningAppends>(RUNNING_APPENDS_SQL, [LOCK_APPENDING, this.table]);
    return rows[0];
  }

  private async query<R extends QueryResultRow>(sql: string, params: unknown[]): Promise<R[]> {
    if (this.closed) throw new StoreUnavailableError('the postgres event store is closed');
    try {
      return (await this.pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw toStoreError(error, 'postgres event store');
    }
  }
}

/** Runs the event store migrations on `schema` (idempotent; safe from several processes at once). */
export async function migrateEventStore(pool: Pool, schema: string): Promise<MigrationOutcome> {
  const client = await pool.connect();
  try {
    return await migrate(client, schema, EVENT_STORE_COMPONENT, EVENT_STORE_MIGRATIONS);
  } finally {
    client.release();
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: row.revision,
    position: Number(row.position),
    type: row.type,
    data: JSON.parse(row.data) as Record<string, unknown>,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
  };
}

function isRace(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RACE_CODES.has(code);
}

/** The port's own refusals (and planAppend's TypeError for a malformed request): the connection is fine. */
function isPortError(error: unknown): boolean {
  return error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError || error instanceof TypeError;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
