import type { StoredEvent } from '@journeyline/event-store';
import { readTargetEvent, TARGETS_STREAM } from '@journeyline/journey';
import type { Projection } from '../runtime/projection';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/**
 * The targets in force (`cx_targets`), folded from the `TargetSet` / `TargetRemoved` records of
 * the `journeyline-targets` stream, for whoever compares metrics with them (the attention list).
 * A set is an upsert and a removal a delete, so applying a batch twice gives the same rows.
 */
export class TargetsProjection implements Projection {
  readonly name = 'targets';
  readonly eventTypes: ReadonlySet<string> = new Set();
  readonly recordTypes: ReadonlySet<string> = new Set(['TargetSet', 'TargetRemoved']);
  readonly version = '1';
  readonly tables = ['cx_targets'] as const;

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS cx_targets (
        target_id TEXT PRIMARY KEY,
        metric TEXT NOT NULL,
        scope_kind TEXT NOT NULL,
        scope_value TEXT,
        min DOUBLE PRECISION,
        max DOUBLE PRECISION
      )${clusteredByKey(tx)};
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  /** It folds no journey events. */
  async apply(): Promise<void> {}

  async applyRecords(records: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
    for (const record of records) {
      if (record.streamId !== TARGETS_STREAM) continue;
      const event = readTargetEvent(record.type, record.data);
      if (event === null) throw new Error(`malformed ${record.type} ${record.eventId}: data must be {targetId, metric, scope: {kind, value}, min | max}`);
      if (event.type === 'TargetRemoved') {
        await tx.run('DELETE FROM cx_targets WHERE target_id = ?', [event.data.targetId]);
        continue;
      }
      const t = event.data;
      await tx.run(
        `INSERT INTO cx_targets (target_id, metric, scope_kind, scope_value, min, max) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (target_id) DO UPDATE SET metric = excluded.metric, scope_kind = excluded.scope_kind, scope_value = excluded.scope_value,
           min = excluded.min, max = excluded.max`,
        [t.targetId, t.metric, t.scope.kind, t.scope.value, t.min ?? null, t.max ?? null],
      );
    }
  }
}
