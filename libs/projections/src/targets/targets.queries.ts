import { isMissingTable } from '../journey-map/customer-profiles.queries';
import { isMetric, type Target, type TargetScopeKind } from '@journeyline/journey';
import type { SqlExecutor } from '../runtime/sql-executor';

export type { Target };

interface TargetRow {
  target_id: string;
  metric: string;
  scope_kind: string;
  scope_value: string | null;
  min: number | null;
  max: number | null;
}

/**
 * The targets in force, by metric, scope and id, from the `cx_targets` read model. Before the
 * projection has run (or with no targets) it answers an empty list: compare with the company's
 * value alone then.
 */
export async function activeTargets(reader: SqlExecutor): Promise<Target[]> {
  let rows: TargetRow[];
  try {
    rows = await reader.all<TargetRow>(
      'SELECT target_id, metric, scope_kind, scope_value, min, max FROM cx_targets ORDER BY metric, scope_kind, scope_value, target_id',
    );
  } catch (error) {
    if (isMissingTable(error)) return [];
    throw error;
  }
  return rows
    .filter((row) => isMetric(row.metric))
    .map((row) => ({
      targetId: row.target_id,
      metric: row.metric as Target['metric'],
      scope: { kind: row.scope_kind as TargetScopeKind, value: row.scope_value },
      ...(row.min !== null ? { min: Number(row.min) } : { max: Number(row.max) }),
    }));
}
