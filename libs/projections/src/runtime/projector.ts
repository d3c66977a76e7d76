import { isTransientError, yieldToEventLoop, type EventStore, type StoredEvent } from '@journeyline/event-store';
import { asJourneyEvent } from '@journeyline/journey';
import { CoalescedRun, type RunFailure } from './coalesced-run';
import { collectGarbageNow } from './full-collection';
import { clearParked, createParkedTable, parkEvent, PARKED_EVENTS } from './parked-events';
import { beginBatch, type ProjectedEvent, type Projection } from './projection';
import type { ReadModelDatabase, SqlExecutor } from './sql-executor';

export interface ProjectorProgress {
  projection: string;
  position: number;
  head: number;
}

export interface ProjectorOptions {
  /** Events per transaction while following the log (at least). */
  batchSize?: number;
  /**
   * Most events per transaction while following a log that has run ahead (a burst of batch
   * ingestion): the projector takes what is there, up to this, in one transaction, so each day
   * bucket and customer row it touches is written once for all of them (default 10,000; `batchSize`
   * when that is given, so a test's small batches stay small).
   */
  maxFollowBatchSize?: number;
  /** Events per read of the log (a transaction may span many reads); default 5,000. */
  readSize?: number;
  /** Events per transaction when far behind the log (a first start on a long log, a changed projection). */
  catchUpBatchSize?: number;
  /** A transaction of at least this many events is followed by a full garbage collection (default 50,000; see collectGarbageNow), as is one a projection ended for being full. */
  collectGarbageAfter?: number;
  /** Fallback poll when no wake-up arrives (another process may be appending). */
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
  /** An event was set aside for a projection (malformed, or its apply failed alone): say so in the log. */
  onParked?: (parked: { projection: string; eventId: string; position: number; type: string; error: string }) => void;
  /**
   * Test seam: runs inside the transaction after the read models are written and before the
   * checkpoint is; throwing here is a crash between the two.
   */
  beforeCheckpoint?: (events: readonly StoredEvent[]) => void;
}

/** A projection's own apply or flush failed (as opposed to reading the log or writing checkpoints). */
class ProjectionFailure extends Error {
  constructor(
    readonly projection: string,
    override readonly cause: unknown,
  ) {
    super(`projection ${projection} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ProjectionFailure';
  }
}

async function guarded<T>(projection: Projection, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new ProjectionFailure(projection.name, error);
  }
}

/** The events of one read of the log, checked once for every projection. */
interface Screened {
  /** Converted by `asJourneyEvent`, of a type some projection handles. */
  events: ProjectedEvent[];
  /** Of a type some projection handles, but malformed: parked for each projection that handles it. */
  malformed: { event: StoredEvent; reason: string }[];
  /** Of a record type (outside the journey) some projection folds, as stored. */
  records: StoredEvent[];
}

/** What can be parked: where an event sits and what it is. */
type Parkable = Pick<StoredEvent, 'position' | 'eventId' | 'streamId' | 'type'>;

/** Events per transaction while isolating a failure: small, so bisecting one costs little. */
const ISOLATION_CHUNK = 1000;

const CHECKPOINTS = 'projection_checkpoints';
/** Events per read of the log; a transaction may span many reads. */
const READ_SIZE = 5000;
/**
 * Most events per transaction of a rebuild: long, so that a customer met all through it is read
 * and written once. A projection may end a transaction sooner when it holds enough in memory.
 */
export const REBUILD_BATCH_SIZE = 500_000;
/** Most events per transaction while following a log that ran ahead (ProjectorOptions.maxFollowBatchSize). */
const MAX_FOLLOW_BATCH_SIZE = 10_000;
/** Events in a transaction after which the projector asks for a full garbage collection. */
const LARGE_TRANSACTION = 50_000;

/** A projection's own unit of work over one slice of journey events (what a guarded, isolated apply repeats). */
async function applyJourneyEvents(projection: Projection, events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
  const batch = beginBatch(projection, tx);
  await batch.apply(events);
  await batch.flush();
}

async function createQueryIndexes(tx: SqlExecutor, projection: Projection): Promise<void> {
  for (const statement of projection.queryIndexes ?? []) await tx.exec(statement);
}

/**
 * Follows the global order of the event log and keeps every projection's read model and its
 * checkpoint in step: each batch is read once, applied to every projection that has not yet seen
 * it, and committed together with the new checkpoints in one transaction. A crash therefore
 * never applies an event twice nor skips one.
 */
export class Projector {
  private readonly batchSize: number;
  private readonly catchUpBatchSize: number;
  private readonly maxFollowBatchSize: number;
  private readonly collectGarbageAfter: number;
  private readonly following: CoalescedRun;
  private ready: Promise<void> | null = null;
  /** Whether the last transaction ended because a projection held enough in memory (its garbage is then collected at once). */
  private endedFull = false;
  private readonly handledTypes: ReadonlySet<string>;
  private readonly recordTypes: ReadonlySet<string>;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.catchUpBatchSize = Math.max(this.batchSize, options.catchUpBatchSize ?? 50_000);
    this.maxFollowBatchSize = Math.max(this.batchSize, options.maxFollowBatchSize ?? options.batchSize ?? MAX_FOLLOW_BATCH_SIZE);
    this.collectGarbageAfter = options.collectGarbageAfter ?? LARGE_TRANSACTION;
    this.following = new CoalescedRun(() => this.catchUp(), options.onError);
    const names = new Set(projections.map((p) => p.name));
    if (names.size !== projections.length) throw new Error('projection names must be unique');
    this.handledTypes = new Set(projections.flatMap((p) => [...p.eventTypes]));
    this.recordTypes = new Set(projections.flatMap((p) => [...(p.recordTypes ?? [])]));
  }

  /** Creates tables and checkpoints; rebuilds a projection whose version changed. Idempotent. */
  init(): Promise<void> {
    // A failed first start (database down) must not be remembered: the next call tries again.
    this.ready ??= this.setUp().catch((error) => {
      this.ready = null;
      throw error;
    });
    return this.ready;
  }

  private setUp(): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.exec(`CREATE TABLE IF NOT EXISTS ${CHECKPOINTS} (name TEXT PRIMARY KEY, position BIGINT NOT NULL, version TEXT NOT NULL)`);
      await createParkedTable(tx);
      for (const projection of this.projections) {
        const row = await tx.get<{ version: string }>(`SELECT version FROM ${CHECKPOINTS} WHERE name = ?`, [projection.name]);
        if (row && row.version !== projection.version) {
          await projection.teardown(tx);
          await clearParked(tx, [projection.name]);
        }
        await projection.setup(tx);
        await createQueryIndexes(tx, projection);
        if (!row || row.version !== projection.version) await this.resetCheckpoint(tx, projection);
      }
    });
  }

  /** Catches up now (reporting progress after each transaction) and then keeps following: on `wake()` and on a poll timer. */
  async start(onProgress?: (progress: ProjectorProgress[]) => void): Promise<void> {
    await this.init();
    await this.catchUp(undefined, onProgress);
    this.following.every(this.options.pollIntervalMs ?? 1000);
  }

  /** Asks for a catch-up soon; calls while one runs coalesce into one more pass. */
  wake(): void {
    this.following.wake();
  }

  /**
   * Applies batches until every projection is at the head of the log. Returns events applied.
   * Without a batch size, each transaction is sized by how far behind the log it is: long ones when
   * far behind (a first start on a long log), what is there up to `maxFollowBatchSize` while
   * following (under batch ingestion the log runs ahead: one transaction for a few requests' events
   * writes each day bucket once instead of once per request), `batchSize` at least.
   */
  async catchUp(batchSize?: number, onProgress?: (progress: ProjectorProgress[]) => void): Promise<number> {
    await this.init();
    let applied = 0;
    for (;;) {
      const size = batchSize ?? this.followSize(await this.behindBy());
      const count = await this.applyNextBatch(size);
      this.following.succeeded();
      if (count === 0) return applied;
      applied += count;
      // A large transaction, or one a projection ended for the memory it held, leaves its garbage
      // behind and the next one is about to make more.
      if (count >= this.collectGarbageAfter || this.endedFull) collectGarbageNow();
      if (onProgress) onProgress(await this.progress());
      await yieldToEventLoop(); // signals, timers, requests and stop() get their turn
      if (this.following.isStopped) return applied;
    }
  }

  /**
   * One transaction: read up to `batchSize` events after the lowest checkpoint (in reads of at
   * most READ_SIZE, so a long transaction never holds its events all at once), apply them to every
   * projection that has not seen them, flush, and move the checkpoints.
   *
   * One bad event never stops a projection: a malformed event is parked for the projections that
   * handle its type (recorded with the reason; they move on), and when a projection's apply or
   * flush fails for another reason that is not the environment's (a database down or full is
   * retried instead), the same events are applied again projection by projection in small
   * transactions, halving a failing slice until the one event that fails alone is found and parked.
   */
  async applyNextBatch(batchSize = this.batchSize): Promise<number> {
    try {
      return await this.applyTogether(batchSize);
    } catch (error) {
      if (!(error instanceof ProjectionFailure) || isTransientError(error.cause)) throw error instanceof ProjectionFailure ? error.cause : error;
      this.options.onError?.(error);
      let applied = 0;
      while (applied < batchSize) {
        const count = await this.applyIsolated(Math.min(ISOLATION_CHUNK, batchSize - applied));
        if (count === 0) break;
        applied += count;
      }
      return applied;
    }
  }

  private applyTogether(batchSize: number): Promise<number> {
    this.endedFull = false;
    return this.db.transaction(async (tx) => {
      const checkpoints = await this.checkpoints(tx);
      const seen = this.projections.map((p) => checkpoints.get(p.name) ?? 0);
      const batches = this.projections.map((p) => beginBatch(p, tx));
      const read: StoredEvent[] = [];
      let after = Math.min(...seen);
      let count = 0;
      while (count < batchSize) {
        const limit = Math.min(this.options.readSize ?? READ_SIZE, batchSize - count);
        const events = await this.store.readAll({ after, limit });
        if (events.length === 0) break;
        const screened = this.screen(events);
        for (let i = 0; i < batches.length; i++) {
          const projection = this.projections[i];
          const fresh = this.freshFor(projection, screened.events, seen[i]);
          if (fresh.length > 0) await guarded(projection, () => batches[i].apply(fresh));
          const records = this.recordsFor(projection, screened.records, seen[i]);
          if (records.length > 0) await guarded(projection, () => projection.applyRecords!(records, tx));
          await this.parkMalformed(tx, projection, screened, seen[i]);
        }
        if (this.options.beforeCheckpoint) read.push(...events);
        after = events[events.length - 1].position;
        count += events.length;
        if (batches.some((b) => b.full)) {
          this.endedFull = true;
          break;
        }
        if (events.length < limit) break;
        // a catch-up transaction spans many reads: requests get their turn between them (queries read the last commit)
        await yieldToEventLoop();
      }
      if (count === 0) return 0;
      for (let i = 0; i < batches.length; i++) await guarded(this.projections[i], () => batches[i].flush());
      this.options.beforeCheckpoint?.(read);
      for (let i = 0; i < this.projections.length; i++) {
        if (seen[i] < after) await tx.run(`UPDATE ${CHECKPOINTS} SET position = ? WHERE name = ?`, [after, this.projections[i].name]);
      }
      return count;
    });
  }

  /** One small transaction, each projection on its own: a failing slice is halved until its culprit is parked. */
  private applyIsolated(limit: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      const checkpoints = await this.checkpoints(tx);
      const seen = this.projections.map((p) => checkpoints.get(p.name) ?? 0);
      const events = await this.store.readAll({ after: Math.min(...seen), limit });
      if (events.length === 0) return 0;
      const screened = this.screen(events);
      const end = events[events.length - 1].position;
      for (let i = 0; i < this.projections.length; i++) {
        const projection = this.projections[i];
        await this.applyGuarded(tx, projection, this.freshFor(projection, screened.events, seen[i]), (events) => applyJourneyEvents(projection, events, tx));
        await this.applyGuarded(tx, projection, this.recordsFor(projection, screened.records, seen[i]), (records) => projection.applyRecords!(records, tx));
        await this.parkMalformed(tx, projection, screened, seen[i]);
        if (seen[i] < end) await tx.run(`UPDATE ${CHECKPOINTS} SET position = ? WHERE name = ?`, [end, projection.name]);
      }
      return events.length;
    });
  }

  private async applyGuarded<E extends Parkable>(
    tx: SqlExecutor,
    projection: Projection,
    events: readonly E[],
    apply: (events: readonly E[]) => Promise<void>,
  ): Promise<void> {
    if (events.length === 0) return;
    await tx.exec('SAVEPOINT projection_apply');
    try {
      await apply(events);
      await tx.exec('RELEASE SAVEPOINT projection_apply');
      return;
    } catch (error) {
      await tx.exec('ROLLBACK TO SAVEPOINT projection_apply');
      await tx.exec('RELEASE SAVEPOINT projection_apply');
      if (isTransientError(error)) throw error;
      if (events.length === 1) {
        await this.park(tx, projection, events[0], error);
        return;
      }
    }
    const half = Math.ceil(events.length / 2);
    await this.applyGuarded(tx, projection, events.slice(0, half), apply);
    await this.applyGuarded(tx, projection, events.slice(half), apply);
  }

  /** Each event of a type some projection handles, through the one stored → domain conversion. */
  private screen(events: readonly StoredEvent[]): Screened {
    const screened: Screened = { events: [], malformed: [], records: [] };
    for (const event of events) {
      if (this.recordTypes.has(event.type)) screened.records.push(event);
      if (!this.handledTypes.has(event.type)) continue;
      const checked = asJourneyEvent(event);
      if (checked.ok) screened.events.push(checked.event);
      else screened.malformed.push({ event, reason: `malformed ${event.type}: ${checked.reason}` });
    }
    return screened;
  }

  private freshFor(projection: Projection, events: readonly ProjectedEvent[], seen: number): ProjectedEvent[] {
    return events.filter((e) => e.position > seen && projection.eventTypes.has(e.type));
  }

  private recordsFor(projection: Projection, records: readonly StoredEvent[], seen: number): StoredEvent[] {
    const types = projection.recordTypes;
    return types ? records.filter((e) => e.position > seen && types.has(e.type)) : [];
  }

  private async parkMalformed(tx: SqlExecutor, projection: Projection, screened: Screened, seen: number): Promise<void> {
    for (const { event, reason } of screened.malformed) {
      if (event.position > seen && projection.eventTypes.has(event.type)) await this.park(tx, projection, event, reason);
    }
  }

  private async park(
    tx: SqlExecutor,
    projection: Projection,
    event: Pick<StoredEvent, 'position' | 'eventId' | 'streamId' | 'type'>,
    error: unknown,
  ): Promise<void> {
    await parkEvent(tx, projection.name, event, error);
    const text = typeof error === 'string' ? error : error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.options.onParked?.({ projection: projection.name, eventId: event.eventId, position: event.position, type: event.type, error: text });
  }

  /** While catching up keeps failing: since when, and the latest error (`/health` reports it). */
  get lastFailure(): RunFailure | null {
    return this.following.lastFailure;
  }

  /**
   * Drops the named projections' tables (all when none are named) and replays the log into them
   * in large batches, then creates their query indexes. Safe to interrupt: the checkpoints it
   * commits let the next start resume (and that start creates the indexes).
   */
  async rebuild(names?: readonly string[], options: { batchSize?: number; onProgress?: (progress: ProjectorProgress[]) => void } = {}): Promise<number> {
    await this.init();
    const chosen = this.chosen(names);
    await this.db.transaction(async (tx) => {
      for (const projection of chosen) {
        await projection.teardown(tx);
        await projection.setup(tx);
        await this.resetCheckpoint(tx, projection);
      }
      // replayed from the start, a parked event is tried again (and parked again if it still fails)
      await clearParked(
        tx,
        chosen.map((p) => p.name),
      );
    });
    const applied = await this.catchUp(options.batchSize ?? REBUILD_BATCH_SIZE, options.onProgress);
    // also when stopped early; after a failure, the next init() creates them
    await this.db.transaction(async (tx) => {
      for (const projection of chosen) await createQueryIndexes(tx, projection);
    });
    return applied;
  }

  /** The named projections (all when none are named), in this projector's order; throws on an unknown name. */
  chosen(names?: readonly string[]): Projection[] {
    const unknown = (names ?? []).filter((n) => !this.projections.some((p) => p.name === n));
    if (unknown.length > 0) throw new Error(`unknown projection(s): ${unknown.join(', ')}; known: ${this.projections.map((p) => p.name).join(', ')}`);
    return this.projections.filter((p) => !names || names.includes(p.name));
  }

  /**
   * SQLite, inside a transaction with another read-model file attached as `schema` (a rebuild
   * done aside): replaces the named projections' tables with that file's and takes their
   * checkpoints from it, so tables and checkpoints move together. SQLite copies a table into an
   * empty one of the same definition page by page, without decoding its rows. Returns the
   * lowest position moved in.
   */
  async adoptRebuilt(tx: SqlExecutor, schema: string, names: readonly string[]): Promise<number> {
    let lowest = Number.POSITIVE_INFINITY;
    for (const projection of this.chosen(names)) {
      const row = await tx.get<{ position: number; version: string }>(`SELECT position, version FROM ${schema}.${CHECKPOINTS} WHERE name = ?`, [
        projection.name,
      ]);
      if (!row) throw new Error(`the rebuilt read models hold no checkpoint for ${projection.name}`);
      if (row.version !== projection.version)
        throw new Error(`${projection.name} was rebuilt at version ${row.version}, this projector runs ${projection.version}`);
      await projection.teardown(tx);
      await projection.setup(tx);
      for (const table of projection.tables) await tx.run(`INSERT INTO main.${table} SELECT * FROM ${schema}.${table}`);
      await clearParked(tx, [projection.name]);
      await tx.run(`INSERT INTO main.${PARKED_EVENTS} SELECT * FROM ${schema}.${PARKED_EVENTS} WHERE component = ?`, [projection.name]);
      await createQueryIndexes(tx, projection);
      await this.setCheckpoint(tx, projection, Number(row.position));
      lowest = Math.min(lowest, Number(row.position));
    }
    return lowest;
  }

  async progress(): Promise<ProjectorProgress[]> {
    const head = await this.store.headPosition();
    const rows = await this.db.reader.all<{ name: string; position: number }>(`SELECT name, position FROM ${CHECKPOINTS}`);
    const byName = new Map(rows.map((r) => [r.name, Number(r.position)]));
    return this.projections.map((p) => ({ projection: p.name, position: byName.get(p.name) ?? 0, head }));
  }

  /** Events in the next transaction when `behind` events are waiting (see catchUp). */
  private followSize(behind: number): number {
    if (behind > this.catchUpBatchSize) return this.catchUpBatchSize;
    return Math.min(this.maxFollowBatchSize, Math.max(this.batchSize, behind));
  }

  /** How many positions the slowest projection is behind the head of the log. */
  private async behindBy(): Promise<number> {
    const progress = await this.progress();
    return Math.max(0, ...progress.map((p) => p.head - p.position));
  }

  /** The lowest checkpoint: every read model has applied the log up to here. */
  async position(): Promise<number> {
    const progress = await this.progress();
    return Math.min(...progress.map((p) => p.position));
  }

  /** Resolves once every projection has applied `position` (read-your-writes), or after `timeoutMs`. */
  waitFor(position: number, timeoutMs = 2000): Promise<boolean> {
    return waitForPosition(this, position, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.following.stop();
  }

  private async checkpoints(tx: SqlExecutor): Promise<Map<string, number>> {
    // On Postgres several processes may run projectors on one database: locking the checkpoint
    // rows makes them take turns, so no batch is applied twice. SQLite's write lock does the same.
    const lock = tx.dialect === 'postgres' ? ' ORDER BY name FOR UPDATE' : '';
    // ...after the schema's change lock, which a starting process holds while it sets up tables and
    // indexes: taken in that order everywhere, the two kinds of transaction cannot deadlock.
    await tx.lockSchemaChanges?.();
    const rows = await tx.all<{ name: string; position: number }>(`SELECT name, position FROM ${CHECKPOINTS}${lock}`);
    return new Map(rows.map((r) => [r.name, Number(r.position)]));
  }

  private resetCheckpoint(tx: SqlExecutor, projection: Projection): Promise<void> {
    return this.setCheckpoint(tx, projection, 0);
  }

  private async setCheckpoint(tx: SqlExecutor, projection: Projection, position: number): Promise<void> {
    await tx.run(
      `INSERT INTO ${CHECKPOINTS} (name, position, version) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position, version = excluded.version`,
      [projection.name, position, projection.version],
    );
  }
}

/** Until `projector` has applied `position` (waking it every 5 ms), or `timeoutMs` has passed: whether it did. */
export async function waitForPosition(projector: Pick<Projector, 'position' | 'wake'>, position: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while ((await projector.position()) < position) {
    if (Date.now() > deadline) return false;
    projector.wake();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}
