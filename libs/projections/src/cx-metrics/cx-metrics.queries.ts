import { ces, csat, nps, quantileFromBins, round, scaleRange, ttrHours, type Scale } from '@journeyline/journey';
import type { SqlExecutor } from '../runtime/sql-executor';
import { BUCKET_COUNTS, type BucketCounts, type Dimension } from './cx-metrics.projection';
import type { DayWindow } from './metric-window';

export const METRICS = ['nps', 'csat', 'ces', 'ttr'] as const;
export type Metric = (typeof METRICS)[number];

export interface MetricValue {
  key: string;
  /** The scale of the answers in this row (CSAT and CES keep one row per scale). */
  scale?: string;
  value: number | null;
  n: number;
  low: number | null;
  high: number | null;
  [detail: string]: unknown;
}

export interface MetricRow extends MetricValue {
  /** The sample reaches the configured minimum (default 30). */
  meaningful: boolean;
}

interface BucketSum extends BucketCounts {
  key: string;
  scale: string;
}

const SUMS = BUCKET_COUNTS.map((column) => `SUM(${column}) AS ${column}`).join(', ');

/** Sums come back as strings from some drivers (PostgreSQL's bigint): make them numbers. */
function toSum<T extends BucketSum>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...row };
  for (const column of BUCKET_COUNTS) out[column] = Number(row[column]);
  return out as T;
}

/**
 * One row per key (and scale) of the dimension for the window: sums of day buckets, turned into
 * the metric with its interval. Nothing here reads events.
 */
export async function queryMetrics(reader: SqlExecutor, metric: Metric, by: Dimension, window: DayWindow, minSample: number, key?: string): Promise<MetricRow[]> {
  const sums = await reader.all<Record<string, unknown>>(
    `SELECT key, scale, ${SUMS}
       FROM cx_buckets WHERE dim = ? AND metric = ? AND day >= ? AND day < ? ${key !== undefined ? 'AND key = ?' : ''}
      GROUP BY key, scale ORDER BY key, scale`,
    [by, metric, window.fromDay, window.toDay, ...(key !== undefined ? [key] : [])],
  );
  const bins = metric === 'ttr' ? await ttrBins(reader, by, window, key) : new Map<string, { bin: number; count: number }[]>();
  return sums.map((raw) => {
    const s = toSum<BucketSum>(raw);
    const row = toRow(metric, s, bins.get(s.key) ?? []);
    return { ...row, meaningful: row.n >= minSample };
  });
}

function toRow(metric: Metric, s: BucketSum, bins: { bin: number; count: number }[]): MetricValue {
  switch (metric) {
    case 'nps':
      return { key: s.key, ...nps({ promoters: s.promoters, passives: s.passives, detractors: s.detractors }) };
    case 'csat':
      return { key: s.key, scale: s.scale, ...csat(s.top2, s.n), mean: s.scale === 'yes-no' || s.n === 0 ? null : round(s.sum / s.n) };
    case 'ces':
      return { key: s.key, scale: s.scale, ...ces(s.sum, s.sumsq, s.n, s.top2, scaleRange(s.scale as Exclude<Scale, 'yes-no'>)), hardPercent: s.n ? round((s.bottom2 / s.n) * 100) : null };
    case 'ttr': {
      const median = quantileFromBins(bins, 0.5);
      const p90 = quantileFromBins(bins, 0.9);
      return {
        key: s.key,
        ...ttrHours(s.sum, s.sumsq, s.n),
        medianHours: median === null ? null : round(median / 3_600_000),
        p90Hours: p90 === null ? null : round(p90 / 3_600_000),
        opened: s.opened,
        resolved: s.n,
      };
    }
  }
}

async function ttrBins(reader: SqlExecutor, by: Dimension, window: DayWindow, key?: string) {
  const rows = await reader.all<{ key: string; bin: number; count: number }>(
    `SELECT key, bin, SUM(count) AS count FROM cx_ttr_bins WHERE dim = ? AND day >= ? AND day < ? ${key !== undefined ? 'AND key = ?' : ''} GROUP BY key, bin`,
    [by, window.fromDay, window.toDay, ...(key !== undefined ? [key] : [])],
  );
  const byKey = new Map<string, { bin: number; count: number }[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push({ bin: Number(row.bin), count: Number(row.count) });
    byKey.set(row.key, list);
  }
  return byKey;
}

/** Higher is better for NPS, CSAT and CES; lower is better for TTR. */
export function higherIsBetter(metric: Metric): boolean {
  return metric !== 'ttr';
}

/**
 * Worst first, by the bound least favourable to calling a row bad: the upper bound for NPS, CSAT
 * and CES, the lower bound for TTR. A row with 3 answers has a wide interval, so it cannot
 * outrank one with 300 that is surely bad. Rows without a finite bound go last.
 */
export function rankWorst(metric: Metric, rows: MetricRow[]): MetricRow[] {
  const better = higherIsBetter(metric);
  const score = (row: MetricRow) => {
    const bound = better ? row.high : row.low;
    if (bound === null) return Number.POSITIVE_INFINITY;
    if (metric === 'ces' && row.scale) {
      const [low, high] = scaleRange(row.scale as Exclude<Scale, 'yes-no'>);
      return (bound - low) / (high - low);
    }
    return better ? bound : -bound;
  };
  return [...rows].sort((a, b) => score(a) - score(b) || a.key.localeCompare(b.key));
}

/** Distribution of scores for one key: the count of each answer, per scale. */
export async function scoreDistribution(reader: SqlExecutor, metric: Exclude<Metric, 'ttr'>, by: Dimension, key: string, window: DayWindow) {
  const rows = await reader.all<{ scale: string; score: string; count: number }>(
    `SELECT scale, score, SUM(count) AS count FROM cx_scores WHERE dim = ? AND metric = ? AND key = ? AND day >= ? AND day < ? GROUP BY scale, score`,
    [by, metric, key, window.fromDay, window.toDay],
  );
  return rows
    .map((r) => ({ scale: r.scale, score: r.score === 'true' ? true : r.score === 'false' ? false : Number(r.score), count: Number(r.count) }))
    .sort((a, b) => a.scale.localeCompare(b.scale) || Number(a.score) - Number(b.score));
}

/** One value per local day for a time series (days without answers are absent). */
export async function dailySeries(reader: SqlExecutor, metric: Metric, by: Dimension, key: string, window: DayWindow, minSample: number) {
  const rows = await reader.all<Record<string, unknown>>(
    `SELECT day, key, scale, ${SUMS}
       FROM cx_buckets WHERE dim = ? AND metric = ? AND key = ? AND day >= ? AND day < ? GROUP BY day, key, scale ORDER BY day, scale`,
    [by, metric, key, window.fromDay, window.toDay],
  );
  return rows.map((raw) => {
    const s = toSum<BucketSum & { day: string }>(raw);
    const row = toRow(metric, s, []);
    return { day: s.day, ...row, meaningful: row.n >= minSample };
  });
}
