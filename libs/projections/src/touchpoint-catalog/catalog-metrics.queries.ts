import { METRIC_DEFINITIONS, METRIC_SUM_FIELDS, needsScoreCounts, UNCLASSIFIED, type Metric, type MetricSums, type ScoreClasses } from '@journeyline/journey';
import type { Dimension } from '../cx-metrics/cx-metrics.projection';
import { queryMetrics } from '../cx-metrics/cx-metrics.queries';
import { catalogMetricsFromScoreCounts } from '../cx-metrics/score-count.queries';
import type { DayWindow } from '../cx-metrics/day-window';
import type { MetricRow } from '../cx-metrics/metric-row';
import type { MetricsAsOf } from '../as-of/metrics-as-of';
import type { SqlExecutor } from '../runtime/sql-executor';

/** Groupings the catalog adds to the metrics: by the experience type or by the owner team of each touchpoint. */
export const CATALOG_GROUPINGS = ['experienceType', 'owner'] as const;
export type CatalogGrouping = (typeof CATALOG_GROUPINGS)[number];

export function isCatalogGrouping(by: unknown): by is CatalogGrouping {
  return (CATALOG_GROUPINGS as readonly unknown[]).includes(by);
}

const COLUMN: Record<CatalogGrouping, string> = { experienceType: 'c.experience_type', owner: 'c.owner' };
const SUMS = METRIC_SUM_FIELDS.map((column) => `SUM(b.${column}) AS ${column}`).join(', ');

/**
 * Metric rows per experience type or owner team over a window: the touchpoint day buckets of
 * every touchpoint of a group summed (a join with `tp_catalog` at query time, so a touchpoint
 * registered or moved today regroups its whole history; no event is read), then turned into the
 * value and interval by the metric's definition, exactly as a touchpoint's row is. Answers about
 * touchpoints nobody registered are grouped under `unclassified`; answers that named no
 * touchpoint are in no group (they count in the overall figure only).
 */
export async function queryCatalogMetrics(
  reader: SqlExecutor,
  metric: Metric,
  by: CatalogGrouping,
  window: DayWindow,
  minSample: number,
  /** The metric parameters' classes; other than the built-in ones, the rows come from the score counts. */
  classes?: ScoreClasses,
): Promise<MetricRow[]> {
  const group = `COALESCE(${COLUMN[by]}, '${UNCLASSIFIED}')`;
  if (needsScoreCounts(metric, classes)) return catalogMetricsFromScoreCounts(reader, metric, group, window, minSample, classes!);
  const sums = await reader.all<Record<string, unknown>>(
    `SELECT ${group} AS grp, b.scale AS scale, ${SUMS}
       FROM cx_buckets b LEFT JOIN tp_catalog c ON c.touchpoint = b.key
      WHERE b.dim = 'touchpoint' AND b.metric = ? AND b.day >= ? AND b.day < ?
      GROUP BY ${group}, b.scale ORDER BY ${group}, b.scale`,
    [metric, window.fromDay, window.toDay],
  );
  const bins = new Map<string, { bin: number; count: number }[]>();
  if (metric === 'ttr') {
    const rows = await reader.all<{ grp: string; bin: number; count: number }>(
      `SELECT ${group} AS grp, t.bin AS bin, SUM(t.count) AS count
         FROM cx_ttr_bins t LEFT JOIN tp_catalog c ON c.touchpoint = t.key
        WHERE t.dim = 'touchpoint' AND t.day >= ? AND t.day < ?
        GROUP BY ${group}, t.bin`,
      [window.fromDay, window.toDay],
    );
    for (const row of rows) bins.set(row.grp, [...(bins.get(row.grp) ?? []), { bin: Number(row.bin), count: Number(row.count) }]);
  }
  const definition = METRIC_DEFINITIONS[metric];
  return sums
    .map((raw) => {
      const s = Object.fromEntries(METRIC_SUM_FIELDS.map((field) => [field, Number(raw[field])])) as unknown as MetricSums;
      const key = String(raw.grp);
      const scale = String(raw.scale);
      const value = definition.value(
        s,
        scale,
        (bins.get(key) ?? []).sort((a, b) => a.bin - b.bin),
      );
      return { key, ...(definition.perScale ? { scale } : {}), ...value, meaningful: value.n >= minSample };
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : (a.scale ?? '').localeCompare(b.scale ?? '')));
}

/** Metric rows by a dimension of the buckets (queryMetrics) or by a grouping of the catalog (queryCatalogMetrics). */
export function queryMetricsBy(
  reader: SqlExecutor,
  metric: Metric,
  by: Dimension | CatalogGrouping,
  window: DayWindow,
  minSample: number,
  asOf?: MetricsAsOf,
  classes?: ScoreClasses,
): Promise<MetricRow[]> {
  if (isCatalogGrouping(by) && asOf) throw new Error('asOf is not answered by experience type or owner');
  return isCatalogGrouping(by)
    ? queryCatalogMetrics(reader, metric, by, window, minSample, classes)
    : queryMetrics(reader, metric, by, window, minSample, undefined, asOf, classes);
}
