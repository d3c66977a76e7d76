import { METRIC_DEFINITIONS, METRIC_SUM_FIELDS, needsScoreCounts, scoreSums, type Metric, type MetricSums, type ScoreClasses } from '@journeyline/journey';
import type { DayWindow } from '../cx-metrics/day-window';
import type { MetricRow } from '../cx-metrics/metric-row';
import type { SqlExecutor } from '../runtime/sql-executor';
import { SCORE_COLUMNS } from './cut-columns';
import { BUCKET_TABLES } from './cx-cuts.projection';
import { addPackedBins, TTR_HISTOGRAM_TABLES } from './ttr-histogram';
import { spansOf, type BucketSpan } from './week-spans';
import { KEY_SEPARATOR, PORTRAIT_COLUMNS, PORTRAIT_FIELDS, PLACE_DIMENSIONS, type MetricCut, type PlaceDimension, type PortraitField } from './metric-cut';

/** A metric row of a cut: `keys` names the value of each grouped dimension (`key` joins them with `|`). */
export interface CutRow extends MetricRow {
  keys?: Partial<Record<PlaceDimension, string>>;
}

const SUMS = METRIC_SUM_FIELDS.map((column) => `SUM(${column}) AS ${column}`).join(', ');
const SCORE_SUMS = SCORE_COLUMNS.map((column) => `SUM(${column}) AS ${column}`).join(', ');
/** A bucket row's place and scale: what a cut groups by. */
const PLACE_COLUMNS = 'touchpoint, channel, stage, scale';

/** The sums to read: the folded ones, or (under classes other than the built-in ones) the sums those classes give the score counts. */
export function sumsReader(
  metric: Metric,
  classes: ScoreClasses | undefined,
): { columns: string; raw: string; sums: (row: Record<string, unknown>, scale: string) => MetricSums } {
  if (!needsScoreCounts(metric, classes)) return { columns: SUMS, raw: METRIC_SUM_FIELDS.join(', '), sums: (row) => sumsOf(row) };
  return {
    columns: `${SUMS}, ${SCORE_SUMS}`,
    raw: [...METRIC_SUM_FIELDS, ...SCORE_COLUMNS].join(', '),
    sums: (row, scale) => {
      const counts = SCORE_COLUMNS.map((column, score) => ({ score: scale === 'yes-no' ? score === 1 : score, count: Number(row[column]) }));
      return scoreSums(metric, scale, counts, classes!);
    },
  };
}

/** WHERE for a cut over a run of days: the portrait field (or none), the days, the place filters, the grouped dimensions present. */
function where(cut: MetricCut, days: Pick<DayWindow, 'fromDay' | 'toDay'>, metric?: Metric): { sql: string; params: unknown[] } {
  const clauses = [...(metric ? ['metric = ?'] : []), 'pfield = ?', 'pvalue = ?', 'day >= ?', 'day < ?'];
  const params: unknown[] = [...(metric ? [metric] : []), cut.portrait?.field ?? '', cut.portrait?.value ?? '', days.fromDay, days.toDay];
  for (const dimension of PLACE_DIMENSIONS) {
    const value = cut.place[dimension];
    if (value === undefined) continue;
    clauses.push(`${dimension} = ?`);
    params.push(value);
  }
  // an answer without a touchpoint is in no touchpoint's row (as in the single-dimension metrics)
  for (const dimension of cut.by) if (cut.place[dimension] === undefined) clauses.push(`${dimension} <> ''`);
  return { sql: clauses.join(' AND '), params };
}

/**
 * The rows of a cut's window, whole weeks from the week table and the days around them from the
 * day table (spansOf), as one row source to group: `columns` of each, under the cut's filters.
 */
function windowRows(
  tables: Record<BucketSpan['table'], string>,
  columns: string,
  cut: MetricCut,
  window: DayWindow,
  metric?: Metric,
): { sql: string; params: unknown[] } {
  const parts = spansOf(window).map((span) => {
    const filter = where(cut, span, metric);
    return { sql: `SELECT ${columns} FROM ${tables[span.table]} WHERE ${filter.sql}`, params: filter.params };
  });
  return { sql: parts.map((p) => p.sql).join(' UNION ALL '), params: parts.flatMap((p) => p.params) };
}

function keyOf(cut: MetricCut, row: Record<string, unknown>): { key: string; keys?: Partial<Record<PlaceDimension, string>> } {
  if (cut.by.length === 0) return { key: '*' };
  const keys = Object.fromEntries(cut.by.map((d) => [d, String(row[d])]));
  return { key: cut.by.map((d) => keys[d]).join(KEY_SEPARATOR), keys };
}

function sumsOf(row: Record<string, unknown>): MetricSums {
  const sums: Record<string, number> = {};
  for (const field of METRIC_SUM_FIELDS) sums[field] = Number(row[field]);
  return sums as unknown as MetricSums;
}

/**
 * Metric rows of a cut over a window: sums of the cut's day buckets grouped by its dimensions
 * (and scale), each turned into the metric with its interval by the metric's definition. Nothing
 * here reads events; the window's days, the portrait field and the place filters are all in the
 * buckets' primary key.
 */
export async function queryCutMetrics(
  reader: SqlExecutor,
  metric: Metric,
  cut: MetricCut,
  window: DayWindow,
  minSample: number,
  /** The metric parameters' classes (default: the built-in ones the buckets were folded with). */
  classes?: ScoreClasses,
  /** Whether TTR rows get their median and p90 (from the resolution-time bins): not for a previous window read for trends alone. */
  quantiles = true,
): Promise<CutRow[]> {
  const group = [...cut.by, 'scale'].join(', ');
  const read = sumsReader(metric, classes);
  const rows = windowRows(BUCKET_TABLES, `${PLACE_COLUMNS}, ${read.raw}`, cut, window, metric);
  const sums = await reader.all<Record<string, unknown>>(
    `SELECT ${group}, ${read.columns} FROM (${rows.sql}) AS rows GROUP BY ${group} ORDER BY ${group}`,
    rows.params,
  );
  const bins = metric === 'ttr' && quantiles ? await cutTtrBins(reader, cut, window) : new Map<string, { bin: number; count: number }[]>();
  const definition = METRIC_DEFINITIONS[metric];
  return sums.map((raw) => {
    const { key, keys } = keyOf(cut, raw);
    const scale = String(raw.scale);
    const value = definition.value(read.sums(raw, scale), scale, bins.get(key) ?? []);
    return { key, ...(keys ? { keys } : {}), ...(definition.perScale ? { scale } : {}), ...value, meaningful: value.n >= minSample };
  });
}

/** The resolution-time bins of each row of a cut: the window's packed histograms (ttr-histogram.ts) added up per row. */
async function cutTtrBins(reader: SqlExecutor, cut: MetricCut, window: DayWindow): Promise<Map<string, { bin: number; count: number }[]>> {
  const histograms = windowRows(TTR_HISTOGRAM_TABLES, 'touchpoint, channel, stage, bins', cut, window);
  const rows = await reader.all<Record<string, unknown>>(histograms.sql, histograms.params);
  const byKey = new Map<string, Map<number, number>>();
  for (const row of rows) {
    const { key } = keyOf(cut, row);
    let bins = byKey.get(key);
    if (!bins) byKey.set(key, (bins = new Map()));
    addPackedBins(bins, String(row.bins));
  }
  return new Map([...byKey].map(([key, bins]) => [key, [...bins].map(([bin, count]) => ({ bin, count }))]));
}

/**
 * One value per local day (or per `step` days from the window's first day) of one row of a cut:
 * `key` names the row as the cut's rows name it (`hotline|use` for two dimensions, `*` for none).
 */
export async function cutSeries(
  reader: SqlExecutor,
  metric: Metric,
  cut: MetricCut,
  key: string,
  window: DayWindow,
  minSample: number,
  step = 1,
  /** The metric parameters' classes (default: the built-in ones the buckets were folded with). */
  classes?: ScoreClasses,
) {
  const place = { ...cut.place };
  if (cut.by.length > 0) {
    const parts = splitKey(key, cut.by.length);
    cut.by.forEach((d, i) => (place[d] = parts[i]));
  }
  const rowCut: MetricCut = { ...cut, by: [], place };
  const filter = where(rowCut, window, metric);
  const read = sumsReader(metric, classes);
  const rows = await reader.all<Record<string, unknown>>(
    `SELECT day, scale, ${read.columns} FROM cut_buckets WHERE ${filter.sql} GROUP BY day, scale ORDER BY day, scale`,
    filter.params,
  );
  const periods = new Map<string, { day: string; scale: string; sums: MetricSums }>();
  const first = Date.parse(`${window.fromDay}T00:00:00Z`);
  for (const raw of rows) {
    const rawDay = String(raw.day);
    const index = Math.floor((Date.parse(`${rawDay}T00:00:00Z`) - first) / (step * 86_400_000));
    const day = step === 1 ? rawDay : new Date(first + index * step * 86_400_000).toISOString().slice(0, 10);
    const scale = String(raw.scale);
    const sums = read.sums(raw, scale);
    const period = periods.get(`${day}\u0000${scale}`);
    if (!period) periods.set(`${day}\u0000${scale}`, { day, scale, sums });
    else for (const field of METRIC_SUM_FIELDS) period.sums[field] += sums[field];
  }
  const definition = METRIC_DEFINITIONS[metric];
  return [...periods.values()]
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.scale.localeCompare(b.scale)))
    .map(({ day, scale, sums }) => {
      const value = definition.value(sums, scale, []);
      return { day, key, ...(definition.perScale ? { scale } : {}), ...value, meaningful: value.n >= minSample };
    });
}

/** The parts of a row's key: a two-dimension key splits at its last `|` (a stage or channel holds none; a touchpoint may). */
function splitKey(key: string, parts: number): string[] {
  if (parts === 1) return [key];
  const at = key.lastIndexOf(KEY_SEPARATOR);
  return at < 0 ? [key, ''] : [key.slice(0, at), key.slice(at + 1)];
}

/** Portrait filters of a per-customer read model: `region=north`, several at once (they all hold). */
export type PortraitFilter = Partial<Record<PortraitField, string>>;

/**
 * Portrait filters for the per-customer read models (funnel, retention): a join of the customer's
 * latest portrait (`cut_portraits`, one index per field), or nothing without a filter.
 */
export function portraitJoin(customerColumn: string, filter: PortraitFilter = {}): { sql: string; params: unknown[] } {
  const fields = PORTRAIT_FIELDS.filter((f) => filter[f] !== undefined);
  if (fields.length === 0) return { sql: '', params: [] };
  const conditions = fields.map((f) => ` AND cp.${PORTRAIT_COLUMNS[f]} = ?`).join('');
  return { sql: `JOIN cut_portraits cp ON cp.customer_id = ${customerColumn}${conditions}`, params: fields.map((f) => filter[f]) };
}
