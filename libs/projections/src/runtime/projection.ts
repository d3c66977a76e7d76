import type { StoredEvent } from '@journeyline/event-store';
import type { RecordedJourneyEvent } from '@journeyline/journey';
import type { SqlExecutor } from './sql-executor';

/**
 * What a projection is given: a domain event (converted once, by the runtime, through
 * `asJourneyEvent`: typed data, no casts) with where it sits in the log.
 */
export type ProjectedEvent = RecordedJourneyEvent & Pick<StoredEvent, 'streamId' | 'position' | 'recordedAt'>;

/**
 * A projection folds events into its own read-model tables. It never touches checkpoints: the
 * projector runtime reads from the checkpoint, applies the events inside a transaction and writes
 * the checkpoint in that same transaction. Applying must give the same tables whatever the batch
 * boundaries are, so a rebuild (large batches) equals the live result (small batches).
 */
export interface Projection {
  readonly name: string;
  /**
   * The event types it folds (Emmett's `canHandle`): the runtime passes it only these, each
   * checked and converted by `asJourneyEvent` first. A malformed one is parked for this
   * projection instead of reaching `apply`.
   */
  readonly eventTypes: ReadonlySet<string>;
  /** Bump when the tables or their meaning change: the runtime then rebuilds this projection. */
  readonly version: string;
  /** Creates the tables and the indexes its own writes use (idempotent: CREATE ... IF NOT EXISTS). */
  setup(tx: SqlExecutor): Promise<void>;
  /**
   * Optional: `CREATE INDEX IF NOT EXISTS` statements for indexes only the queries read, never the
   * projection's own writes. The projector creates them after `setup`, except in a rebuild, which
   * creates them once the log is replayed: one sort of the finished table instead of a million
   * inserts at random places of the index.
   */
  readonly queryIndexes?: readonly string[];
  /** Drops the tables, for a rebuild. */
  teardown(tx: SqlExecutor): Promise<void>;
  /** Applies events of its `eventTypes` in global order and writes them. */
  apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void>;
  /**
   * Optional: a unit of work for one transaction that may span several reads of the log. It
   * folds each slice in memory and writes once, in `flush`, so a row touched by many events of
   * the transaction is written once (a rebuild's transactions are long). Its state lives and dies
   * with the object: a rolled-back transaction simply drops it.
   */
  begin?(tx: SqlExecutor): ProjectionBatch;
  /** The table names, for dumps that compare a rebuild with the live result. */
  readonly tables: readonly string[];
  /**
   * Optional: types of events outside the customer journey that it folds (a source's own records
   * in a stream of their own, such as the Segment source's unmapped messages). They are not domain
   * events: they skip `asJourneyEvent` and reach `applyRecords` as stored, after the same
   * read's journey events; the projection reads their data by own property and throws on one it
   * cannot read (the runtime then parks that one, as for any failing event).
   */
  readonly recordTypes?: ReadonlySet<string>;
  /** Optional: it needs something only this process holds (the key vault), so a parallel rebuild keeps it on the calling thread. */
  readonly rebuildsInPlace?: boolean;
  applyRecords?(records: readonly StoredEvent[], tx: SqlExecutor): Promise<void>;
  /**
   * Optional, for a projection that keeps something derived from opened personal data (the
   * search's blind index): deletes it for these erased customers. A copy of the read models made
   * before their erasure (an as-of snapshot) calls it, so it answers as a replay would, whose
   * vault opens nothing of theirs.
   */
  forget?(customerIds: readonly string[], tx: SqlExecutor): Promise<void>;
}

export interface ProjectionBatch {
  apply(events: readonly ProjectedEvent[]): Promise<void>;
  /** True once it holds as much as it should in memory: the projector then ends the transaction. */
  readonly full?: boolean;
  /** Writes what `apply` folded; called once, before the checkpoint is written. */
  flush(): Promise<void>;
}

/** The unit of work the projector uses: the projection's own, or `apply` slice by slice. */
export function beginBatch(projection: Projection, tx: SqlExecutor): ProjectionBatch {
  if (projection.begin) return projection.begin(tx);
  return { apply: (events) => projection.apply(events, tx), flush: async () => undefined };
}

/** `apply` for a projection that has `begin`: one unit of work over one slice. */
export async function applyAsOneBatch(projection: Required<Pick<Projection, 'begin'>>, events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
  const batch = projection.begin(tx);
  await batch.apply(events);
  await batch.flush();
}

/**
 * A projection that folds each transaction in memory (`begin`) and writes once: `apply` is one
 * such unit over one slice, and a teardown drops its tables and those an older version had.
 */
export abstract class BatchedProjection implements Projection {
  abstract readonly name: string;
  abstract readonly version: string;
  abstract readonly eventTypes: ReadonlySet<string>;
  abstract readonly tables: readonly string[];
  /** Tables an older version of this projection created, dropped with its own on a teardown. */
  protected readonly retiredTables: readonly string[] = [];
  abstract setup(tx: SqlExecutor): Promise<void>;
  abstract begin(tx: SqlExecutor): ProjectionBatch;

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of [...this.tables, ...this.retiredTables]) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    return applyAsOneBatch(this, events, tx);
  }
}
