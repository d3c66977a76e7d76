import { yieldToEventLoop, type EventStore, type StoredEvent } from '@journeyline/event-store';
import { CoalescedRun } from './coalesced-run';
import { collectGarbageNow } from './full-collection';
import { beginBatch, type Projection } from './projection';
import type { ReadModelDatabase, SqlExecutor } from './sql-executor';

export interface ProjectorProgress {
  projection: string;
  position: number;
  head: number;
}

export interface ProjectorOptions {
  /** Events per transaction while following the log. */
  batchSize?: number;
  /** Events per read of the log (a transaction may span many reads); default 5,000. */
  readSize?: number;
  /** Events per transaction when far behind the log (a first start on a long log, a changed projection). */
  catchUpBatchSize?: number;
  /** Fallback poll when no wake-up arrives (another process may be appending). */
  pollIntervalMs?: number;
  onError?: (error: unknown) => void;
  /**
   * Test seam: runs inside the transaction after the read models are written and before the
   * checkpoint is; throwing here is a crash between the two.
   */
  beforeCheckpoint?: (events: readonly StoredEvent[]) => void;
}

const CHECKPOINTS = 'projection_checkpoints';
/** Events per read of the log; a transaction may span many reads. */
const READ_SIZE = 5000;
/**
 * Most events per transaction of a rebuild: long, so that a customer met all through it is read
 * and written once. A projection may end a transaction sooner when it holds enough in memory.
 */
export const REBUILD_BATCH_SIZE = 500_000;
/** Events in a transaction after which the projector asks for a full garbage collection. */
const LARGE_TRANSACTION = 50_000;

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
  private readonly following: CoalescedRun;
  private ready: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2000;
    this.catchUpBatchSize = Math.max(this.batchSize, options.catchUpBatchSize ?? 50_000);
    this.following = new CoalescedRun(() => this.catchUp(), options.onError);
    const names = new Set(projections.map((p) => p.name));
    if (names.size !== projections.length) throw new Error('projection names must be unique');
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
      for (const projection of this.projections) {
        const row = await tx.get<{ version: string }>(`SELECT version FROM ${CHECKPOINTS} WHERE name = ?`, [projection.name]);
        if (row && row.version !== projection.version) await projection.teardown(tx);
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
   * Without a batch size: long transactions when it starts far behind the log, small ones otherwise.
   */
  async catchUp(batchSize?: number, onProgress?: (progress: ProjectorProgress[]) => void): Promise<number> {
    await this.init();
    const size = batchSize ?? ((await this.behindBy()) > this.catchUpBatchSize ? this.catchUpBatchSize : this.batchSize);
    let applied = 0;
    for (;;) {
      const count = await this.applyNextBatch(size);
      if (count === 0) return applied;
      applied += count;
      // A large transaction leaves its garbage behind and the next one is about to make more.
      if (count >= LARGE_TRANSACTION) collectGarbageNow();
      if (onProgress) onProgress(await this.progress());
      await yieldToEventLoop(); // signals, timers, requests and stop() get their turn
      if (this.following.isStopped) return applied;
    }
  }

  /**
   * One transaction: read up to `batchSize` events after the lowest checkpoint (in reads of at
   * most READ_SIZE, so a long transaction never holds its events all at once), apply them to every
   * projection that has not seen them, flush, and move the checkpoints.
   */
  async applyNextBatch(batchSize = this.batchSize): Promise<number> {
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
        for (let i = 0; i < batches.length; i++) {
          const fresh = seen[i] <= after ? events : events.filter((e) => e.position > seen[i]);
          if (fresh.length > 0) await batches[i].apply(fresh);
        }
        if (this.options.beforeCheckpoint) read.push(...events);
        after = events[events.length - 1].position;
        count += events.length;
        if (events.length < limit || batches.some((b) => b.full)) break;
      }
      if (count === 0) return 0;
      for (const batch of batches) await batch.flush();
      this.options.beforeCheckpoint?.(read);
      for (let i = 0; i < this.projections.length; i++) {
        if (seen[i] < after) await tx.run(`UPDATE ${CHECKPOINTS} SET position = ? WHERE name = ?`, [after, this.projections[i].name]);
      }
      return count;
    });
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
      const row = await tx.get<{ position: number; version: string }>(`SELECT position, version FROM ${schema}.${CHECKPOINTS} WHERE name = ?`, [projection.name]);
      if (!row) throw new Error(`the rebuilt read models hold no checkpoint for ${projection.name}`);
      if (row.version !== projection.version) throw new Error(`${projection.name} was rebuilt at version ${row.version}, this projector runs ${projection.version}`);
      await projection.teardown(tx);
      await projection.setup(tx);
      for (const table of projection.tables) await tx.run(`INSERT INTO main.${table} SELECT * FROM ${schema}.${table}`);
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
  async waitFor(position: number, timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.position()) < position) {
      if (Date.now() > deadline) return false;
      this.wake();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return true;
  }

  async stop(): Promise<void> {
    await this.following.stop();
  }

  private async checkpoints(tx: SqlExecutor): Promise<Map<string, number>> {
    // On Postgres several processes may run projectors on one database: locking the checkpoint
    // rows makes them take turns, so no batch is applied twice. SQLite's write lock does the same.
    const lock = tx.dialect === 'postgres' ? ' ORDER BY name FOR UPDATE' : '';
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
