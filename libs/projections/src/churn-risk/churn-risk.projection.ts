import { customerIdOf } from '@journeyline/journey';
import type { ProjectedEvent, Projection } from '../runtime/projection';
import { insertRows } from '../runtime/bulk-write';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/**
 * Churn-risk episodes as rows, for `GET /api/v1/churn-risks`: one row per episode (its flag's
 * episodeId), open until its ChurnRiskCleared sets `cleared_at`. The flags are events in the log
 * (written by ChurnRiskProcess), so this table is an ordinary projection: dropped and rebuilt from
 * the log it equals the live one. Keyed by episode id and written with ON CONFLICT, applying a
 * batch twice changes nothing. Times are the events' ISO strings (`toISOString()` form, so they
 * sort as text); SQL is portable to PostgreSQL.
 */
export class ChurnRiskProjection implements Projection {
  readonly name = 'churn-risks';
  readonly eventTypes: ReadonlySet<string> = new Set(['ChurnRiskFlagged', 'ChurnRiskCleared']);
  /** 3: the rules version that raised each flag (`rules_version`). */
  readonly version = '3';
  readonly tables = ['churn_risk_flags'] as const;
  /** The list's filters; the writes go by episode id. */
  readonly queryIndexes = [
    'CREATE INDEX IF NOT EXISTS churn_risk_flags_customer ON churn_risk_flags (customer_id, cleared_at)',
    'CREATE INDEX IF NOT EXISTS churn_risk_flags_rule ON churn_risk_flags (rule, cleared_at)',
  ];

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS churn_risk_flags (
        episode_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        rule TEXT NOT NULL,
        flagged_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        evidence TEXT NOT NULL,
        cleared_at TEXT,
        cleared_reason TEXT,
        position BIGINT NOT NULL,
        rules_version BIGINT
      )${clusteredByKey(tx)};
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  /** Flags first, many rows a statement; then the clears, one by one (fewer, and after their flags). */
  async apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    const flags: unknown[][] = [];
    const seen = new Set<string>();
    const clears: [string, string, string][] = [];
    for (const event of events) {
      if (event.type === 'ChurnRiskFlagged') {
        const customerId = customerIdOf(event.streamId);
        const { rule, reason, evidence, episodeId, rulesVersion } = event.data;
        if (customerId === null || seen.has(episodeId)) continue;
        seen.add(episodeId);
        flags.push([episodeId, customerId, rule, event.occurredAt, reason, JSON.stringify(evidence), null, null, event.position, rulesVersion ?? null]);
      } else if (event.type === 'ChurnRiskCleared') {
        const { reason, episodeId } = event.data;
        clears.push([event.occurredAt, reason, episodeId]);
      }
    }
    await insertRows(
      tx,
      'INSERT INTO churn_risk_flags (episode_id, customer_id, rule, flagged_at, reason, evidence, cleared_at, cleared_reason, position, rules_version)',
      flags,
      'ON CONFLICT (episode_id) DO NOTHING',
    );
    for (const clear of clears) await tx.run('UPDATE churn_risk_flags SET cleared_at = ?, cleared_reason = ? WHERE episode_id = ?', clear);
  }
}
