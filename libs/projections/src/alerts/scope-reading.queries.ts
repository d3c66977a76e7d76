import { METRIC_DEFINITIONS, METRIC_SUM_FIELDS, type MetricReading, type MetricSums, type Target } from '@journeyline/journey';
import type { DayWindow } from '../cx-metrics/day-window';
import { catalogEntries } from '../touchpoint-catalog/touchpoint-catalog.queries';
import type { SqlExecutor } from '../runtime/sql-executor';

const SUMS = METRIC_SUM_FIELDS.map((column) => `SUM(${column}) AS ${column}`).join(', ');

/**
 * A target's metric over its scope and the window, from the day buckets: one touchpoint, every
 * touchpoint of an owner team (from the touchpoint catalog; none while it has no owners), or the whole company. Null when the window holds no answers.
 *
 * Answers of different scales are never averaged: CSAT's % satisfied (top-2-box) is a share of
 * answers whatever their scale, so its scales are pooled; a CES target is judged on the scale
 * most answers used (a mean on 1-7 says nothing about one on 1-5).
 */
export async function scopeReading(reader: SqlExecutor, target: Pick<Target, 'metric' | 'scope'>, window: DayWindow): Promise<MetricReading | null> {
  const keys = await scopeKeys(reader, target.scope);
  if (keys === null) return null;
  const rows = await reader.all<Record<string, unknown>>(
    `SELECT scale, ${SUMS} FROM cx_buckets
      WHERE dim = ? AND metric = ? AND day >= ? AND day < ? AND key IN (${keys.keys.map(() => '?').join(', ')})
      GROUP BY scale`,
    [keys.dim, target.metric, window.fromDay, window.toDay, ...keys.keys],
  );
  const byScale = rows.map((row) => ({ scale: String(row.scale), sums: sumsOf(row) })).filter((row) => row.sums.n > 0);
  if (byScale.length === 0) return null;
  const definition = METRIC_DEFINITIONS[target.metric];
  let chosen = byScale.reduce((most, row) => (row.sums.n > most.sums.n ? row : most));
  if (definition.perScale && definition.unit === 'percent') {
    const pooled = { ...chosen.sums };
    for (const field of METRIC_SUM_FIELDS) pooled[field] = byScale.reduce((sum, row) => sum + row.sums[field], 0);
    chosen = { scale: chosen.scale, sums: pooled };
  }
  const value = definition.value(chosen.sums, chosen.scale, []);
  return { ...value, ...(definition.perScale ? { scale: chosen.scale } : {}) };
}

async function scopeKeys(reader: SqlExecutor, scope: Target['scope']): Promise<{ dim: string; keys: string[] } | null> {
  if (scope.kind === 'all') return { dim: 'all', keys: ['*'] };
  if (scope.kind === 'touchpoint') return { dim: 'touchpoint', keys: [scope.value ?? ''] };
  const touchpoints = await ownedTouchpoints(reader, scope.value ?? '');
  return touchpoints.length > 0 ? { dim: 'touchpoint', keys: touchpoints } : null;
}

/** The touchpoints an owner team has in the catalog (none while the catalog names no owners). */
async function ownedTouchpoints(reader: SqlExecutor, owner: string): Promise<string[]> {
  return (await catalogEntries(reader)).filter((entry) => entry.owner === owner).map((entry) => entry.touchpoint);
}

function sumsOf(row: Record<string, unknown>): MetricSums {
  const sums = {} as MetricSums;
  for (const field of METRIC_SUM_FIELDS) sums[field] = Number(row[field] ?? 0);
  return sums;
}
