import { METRIC_DEFINITIONS, scoreSums, storedScore, type Metric, type MetricSums, type ScoreClasses, type ScoreCount } from '@journeyline/journey';
import { RECORDED, sumRows, type MetricsAsOf } from '../as-of/metrics-as-of';
import type { SqlExecutor } from '../runtime/sql-executor';
import type { Dimension } from './cx-metrics.projection';
import type { DayWindow } from './day-window';
import type { MetricRow } from './metric-row';

/**
 * Metric rows under metric parameters other than the built-in ones (another CSAT top box, other
 * NPS classes, other hard or easy CES boxes): the day buckets were folded with the built-in
 * classes, so these rows come from `cx_scores`, the count of each score per day, key and scale,
 * which the same projection keeps. Each row's sums are what a bucket folded under those classes
 * would hold (`scoreSums`), turned into the value by the metric's definition: under the built-in
 * classes they equal the buckets' exactly. The same windows, keys and rows as the bucket queries
 * (a row whose answers were all replaced is there with n = 0, as in the buckets), and `asOf` as
 * they answer it (the score rows are keyed by recorded day too).
 */
interface ScoreRow {
  key: string;
  scale: string;
  score: string;
  count: number;
  day?: string;
}

/** One metric row per key and scale: NPS, CSAT or CES under `classes`. */
export async function metricsFromScoreCounts(
  reader: SqlExecutor,
  metric: Metric,
  by: Dimension,
  window: DayWindow,
  minSample: number,
  classes: ScoreClasses,
  key?: string,
  asOf?: MetricsAsOf,
): Promise<MetricRow[]> {
  const rows = await sumRows<ScoreRow & Record<string, unknown>>(
    reader,
    `SELECT key, scale, score, SUM(count) AS count
       FROM cx_scores WHERE dim = ? AND metric = ? AND day >= ? AND day < ? ${key !== undefined ? 'AND key = ?' : ''} ${RECORDED}
      GROUP BY key, scale, score ORDER BY key, scale, score`,
    [by, metric, window.fromDay, window.toDay, ...(key !== undefined ? [key] : [])],
    ['key', 'scale', 'score'],
    ['count'],
    asOf,
  );
  return rowsOf(
    metric,
    grouped(rows, (r) => [String(r.key), String(r.scale)]),
    classes,
    minSample,
  );
}

/**
 * One row per local day (or per `step` days from the window's first day) for one key, under
 * `classes`: each period's sums from the summed score counts of its days.
 */
export async function seriesFromScoreCounts(
  reader: SqlExecutor,
  metric: Metric,
  by: Dimension,
  key: string,
  window: DayWindow,
  minSample: number,
  step: number,
  classes: ScoreClasses,
  asOf?: MetricsAsOf,
) {
  const rows = await sumRows<ScoreRow & Record<string, unknown>>(
    reader,
    `SELECT day, key, scale, score, SUM(count) AS count
       FROM cx_scores WHERE dim = ? AND metric = ? AND key = ? AND day >= ? AND day < ? ${RECORDED}
      GROUP BY day, key, scale, score ORDER BY day, scale, score`,
    [by, metric, key, window.fromDay, window.toDay],
    ['day', 'key', 'scale', 'score'],
    ['count'],
    asOf,
  );
  const first = Date.parse(`${window.fromDay}T00:00:00Z`);
  const periodOf = (day: string) => {
    if (step === 1) return day;
    const index = Math.floor((Date.parse(`${day}T00:00:00Z`) - first) / (step * 86_400_000));
    return new Date(first + index * step * 86_400_000).toISOString().slice(0, 10);
  };
  const periods = grouped(rows, (r) => [periodOf(String(r.day)), String(r.scale)]);
  const definition = METRIC_DEFINITIONS[metric];
  return [...periods]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, counts]) => {
      const [day, scale] = id.split('\u0000');
      const value = definition.value(scoreSums(metric, scale, counts, classes), scale, []);
      return { day, key, ...(definition.perScale ? { scale } : {}), ...value, meaningful: value.n >= minSample };
    });
}

/**
 * Rows per group of touchpoints (`groupSql`: the catalog column, `unclassified` when none) under
 * `classes`: the touchpoints' score counts joined with the catalog at query time.
 */
export async function catalogMetricsFromScoreCounts(
  reader: SqlExecutor,
  metric: Metric,
  groupSql: string,
  window: DayWindow,
  minSample: number,
  classes: ScoreClasses,
): Promise<MetricRow[]> {
  const rows = await reader.all<ScoreRow & Record<string, unknown>>(
    `SELECT ${groupSql} AS key, s.scale AS scale, s.score AS score, SUM(s.count) AS count
       FROM cx_scores s LEFT JOIN tp_catalog c ON c.touchpoint = s.key
      WHERE s.dim = 'touchpoint' AND s.metric = ? AND s.day >= ? AND s.day < ?
      GROUP BY ${groupSql}, s.scale, s.score`,
    [metric, window.fromDay, window.toDay],
  );
  const sorted = rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : String(a.scale).localeCompare(String(b.scale))));
  return rowsOf(
    metric,
    grouped(sorted, (r) => [String(r.key), String(r.scale)]),
    classes,
    minSample,
  );
}

/** Score counts by `id` (its parts joined), in the order the rows come. */
function grouped(rows: readonly ScoreRow[], id: (row: ScoreRow) => string[]): Map<string, ScoreCount[]> {
  const groups = new Map<string, ScoreCount[]>();
  for (const row of rows) {
    const key = id(row).join('\u0000');
    const counts = groups.get(key) ?? [];
    counts.push({ score: storedScore(String(row.score)), count: Number(row.count) });
    groups.set(key, counts);
  }
  return groups;
}

function rowsOf(metric: Metric, groups: Map<string, ScoreCount[]>, classes: ScoreClasses, minSample: number): MetricRow[] {
  const definition = METRIC_DEFINITIONS[metric];
  return [...groups].map(([id, counts]) => {
    const [key, scale] = id.split('\u0000');
    const sums: MetricSums = scoreSums(metric, scale, counts, classes);
    const value = definition.value(sums, scale, []);
    return { key, ...(definition.perScale ? { scale } : {}), ...value, meaningful: value.n >= minSample };
  });
}
