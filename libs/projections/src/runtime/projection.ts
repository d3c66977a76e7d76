import type { StoredEvent } from '@journeyline/event-store';
import type { SqlExecutor } from './sql-executor';

/**
 * A projection folds events into its own read-model tables. It never touches checkpoints: the
 * projector runtime reads from the checkpoint, calls `apply` inside a transaction and writes the
 * checkpoint in that same transaction. `apply` must give the same tables whatever the batch
 * boundaries are, so a rebuild (large batches) equals the live result (small batches).
 */
export interface Projection {
  readonly name: string;
  /** Bump when the tables or their meaning change: the runtime then rebuilds this projection. */
  readonly version: string;
  /** Creates the tables (idempotent: CREATE ... IF NOT EXISTS). */
  setup(tx: SqlExecutor): Promise<void>;
  /** Drops the tables, for a rebuild. */
  teardown(tx: SqlExecutor): Promise<void>;
  /** Applies events in global order; events of other types are simply ignored. */
  apply(events: readonly StoredEvent[], tx: SqlExecutor): Promise<void>;
  /** The table names, for dumps that compare a rebuild with the live result. */
  readonly tables: readonly string[];
}
