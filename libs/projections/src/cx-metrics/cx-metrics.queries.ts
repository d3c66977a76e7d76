import { METRIC_DEFINITIONS, METRIC_SUM_FIELDS, needsScoreCounts, rankingScore, type Metric, type MetricSums, type ScoreClasses } from '@journeyline/journey';
import type { SqlExecutor } from '../runtime/sql-executor';
import { RECORDED, sumRows, type MetricsAsOf } from '../as-of/metrics-as-of';
import type { Dimension } from './cx-metrics.projection';
import { metricsFromScoreCounts, seriesFromScoreCounts } from './score-count.queries';
import type { DayWindow } from './metric-window';
import type { MetricRow, MetricValue } from './metric-row';

export type { MetricRow, MetricValue };

export { METRICS, type Metric } from '@journeyline/journey';

interface BucketSum extends MetricSums {
  key: string;
  scale: string;
}

const SUMS = METRIC_SUM_FIELDS.map((column) => `SUM(${column}) AS ${column}`).join(', ');

/** Sums come back as strings from some drivers (PostgreSQL's bigint): make them numbers. */
function toSum<T extends BucketSum>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...row };
  for (const column of METRIC_SUM_FIELDS) out[column] = Number(row[column]);
  return out as T;
}

/**
 * One row per key (and scale) of the dimension for the window: sums of day buckets, turned into
 * the metric with its interval. Nothing here reads events.
 */
export async function queryMetrics(
  reader: SqlExecutor,
  metric: Metric,
  by: Dimension,
  window: DayWindow,
  minSample: number,
  key?: string,
  asOf?: MetricsAsOf,
  /** The metric parameters' classes; other than the built-in ones, the rows come from the score counts. */
  classes?: ScoreClasses,
): Promise<MetricRow[]> {
  if (needsScoreCounts(metric, classes)) return metricsFromScoreCounts(reader, metric, by, window, minSample, classes!, key, asOf);
  const sums = await sumRows<Record<string, unknown>>(
    reader,
    `SELECT key, scale, ${SUMS}
       FROM cx_buckets WHERE dim = ? AND metric = ? AND day >= ? AND day < ? ${key !== undefined ? 'AND key = ?' : ''} ${RECORDED}
      GROUP BY key, scale ORDER BY key, scale`,
    [by, metric, window.fromDay, window.toDay, ...(key !== undefined ? [key] : [])],
    ['key', 'scale'],
    METRIC_SUM_FIELDS,
    asOf,
  );
  const bins = metric === 'ttr' ? await ttrBins(reader, by, window, key, asOf) : new Map<string, { bin: number; count: number }[]>();
  return sums.map((raw) => {
    const s = toSum<BucketSum>(raw);
    const row = toRow(metric, s, bins.get(s.key) ?? []);
    return { ...row, meaningful: row.n >= minSample };
  });
}

/** A row: the key (and scale, for metrics kept per scale) and what the metric's definition makes of the sums. */
function toRow(metric: Metric, s: BucketSum, bins: { bin: number; count: number }[]): MetricValue {
  const definition = METRIC_DEFINITIONS[metric];
  return { key: s.key, ...(definition.perScale ? { scale: s.scale } : {}), ...definition.value(s, s.scale, bins) };
}

async function ttrBins(reader: SqlExecutor, by: Dimension, window: DayWindow, key?: string, asOf?: MetricsAsOf) {
  const rows = await sumRows<{ key: string; bin: number; count: number }>(
    reader,
    `SELECT key, bin, SUM(count) AS count FROM cx_ttr_bins WHERE dim = ? AND day >= ? AND day < ? ${key !== undefined ? 'AND key = ?' : ''} ${RECORDED} GROUP BY key, bin`,
    [by, window.fromDay, window.toDay, ...(key !== undefined ? [key] : [])],
    ['key', 'bin'],
    ['count'],
    asOf,
  );
  const byKey = new Map<string, { bin: number; count: number }[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push({ bin: Number(row.bin), count: Number(row.count) });
    byKey.set(row.key, list);
  }
  return byKey;
}

/** Worst first, by the definition's ranking bound (see rankingScore); ties by key. */
export function rankWorst(metric: Metric, rows: MetricRow[]): MetricRow[] {
  return [...rows].sort((a, b) => rankingScore(metric, a) - rankingScore(metric, b) || a.key.localeCompare(b.key));
}

/** Distribution of scores for one key: the count of each answer, per scale. */
export async function scoreDistribution(
  reader: SqlExecutor,
  metric: Exclude<Metric, 'ttr'>,
  by: Dimension,
  key: string,
  window: DayWindow,
  asOf?: MetricsAsOf,
) {
  const rows = await sumRows<{ scale: string; score: string; count: number }>(
    reader,
    `SELECT scale, score, SUM(count) AS count FROM cx_scores WHERE dim = ? AND metric = ? AND key = ? AND day >= ? AND day < ? ${RECORDED} GROUP BY scale, score`,
    [by, metric, key, window.fromDay, window.toDay],
    ['scale', 'score'],
    ['count'],
    asOf,
  );
  return rows
    .filter((r) => Number(r.count) > 0)
    .map((r) => ({ scale: r.scale, score: r.score === 'true' ? true : r.score === 'false' ? false : Number(r.score), count: Number(r.count) }))
    .sort((a, b) => a.scale.localeCompare(b.scale) || Number(a.score) - Number(b.score));
}

/**
 * One value per local day for a time series (days without answers are absent), or per `step`
 * days counted from the window's first day: a week or a month of a long trend is computed from
 * the summed counts of its days, never by averaging daily values.
 */
export async function dailySeries(
  reader: SqlExecutor,
  metric: Metric,
  by: Dimension,
  key: string,
  window: DayWindow,
  minSample: number,
  step = 1,
  asOf?: MetricsAsOf,
  /** The metric parameters' classes; other than the built-in ones, the rows come from the score counts. */
  classes?: ScoreClasses,
) {
  if (needsScoreCounts(metric, classes)) return seriesFromScoreCounts(reader, metric, by, key, window, minSample, step, classes!, asOf);
  const rows = await sumRows<Record<string, unknown>>(
    reader,
    `SELECT day, key, scale, ${SUMS}
       FROM cx_buckets WHERE dim = ? AND metric = ? AND key = ? AND day >= ? AND day < ? ${RECORDED} GROUP BY day, key, scale ORDER BY day, scale`,
    [by, metric, key, window.fromDay, window.toDay],
    ['day', 'key', 'scale'],
    METRIC_SUM_FIELDS,
    asOf,
  );
  const periods = new Map<string, BucketSum & { day: string }>();
  const first = Date.parse(`${window.fromDay}T00:00:00Z`);
  for (const raw of rows) {
    const s = toSum<BucketSum & { day: string }>(raw);
    const index = Math.floor((Date.parse(`${s.day}T00:00:00Z`) - first) / (step * 86_400_000));
    const day = step === 1 ? s.day : new Date(first + index * step * 86_400_000).toISOString().slice(0, 10);
    const id = `${day}\u0000${s.scale}`;
    const period = periods.get(id);
    if (!period) periods.set(id, { ...s, day });
    else for (const field of METRIC_SUM_FIELDS) period[field] += s[field];
  }
  const ordered = [...periods.values()].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.scale.localeCompare(b.scale)));
  return ordered.map((s) => {
    const row = toRow(metric, s, []);
    return { day: s.day, ...row, meaningful: row.n >= minSample };
  });
}
