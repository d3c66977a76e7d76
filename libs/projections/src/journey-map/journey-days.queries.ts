import { localDay, PORTRAIT_FIELDS, STAGES, type Stage } from '@journeyline/journey';
import type { PortraitFilter } from '../cx-cuts/cx-cuts.queries';
import { spansOf, weekOf } from '../cx-cuts/week-spans';
import type { SqlExecutor } from '../runtime/sql-executor';
import { forEachGap, JOURNEY_DAY_TABLES } from './journey-days';
import { GAP_BIN_STRIDE, matchesFilters, type DayFilterField, type PersonDays } from './person-days';

/** The filters of a funnel or retention read: portrait fields, and places (customers who visited the touchpoint or channel, or reached the stage). */
export interface JourneyFilter extends PortraitFilter {
  touchpoint?: string;
  channel?: string;
  stage?: Stage;
}

export const JOURNEY_FILTER_FIELDS = [...PORTRAIT_FIELDS, 'touchpoint', 'channel', 'stage'] as const;

/** The filters as (field, value) pairs, in JOURNEY_FILTER_FIELDS order. */
export function filterPairs(filter: JourneyFilter = {}): [DayFilterField, string][] {
  return JOURNEY_FILTER_FIELDS.filter((f) => filter[f] !== undefined).map((f) => [f, filter[f]!]);
}

/**
 * The bucket row a read sums, or null when the buckets cannot answer it exactly and the persons
 * are counted one by one (jm_person_days): the window's edges must be local midnights of the
 * buckets' zone (the default: a window in the configured zone), and the read may filter or
 * split on one field only (a bucket row counts one filter; the same field both split and
 * filtered is that value's row).
 */
export function bucketRowOf(
  from: Date,
  to: Date,
  bucketTimeZone: string,
  filter: JourneyFilter,
  split?: DayFilterField,
): { field: DayFilterField; value?: string; fromDay: string; toDay: string } | null {
  const pairs = filterPairs(filter);
  if (pairs.length > 1 || pairs.some(([, value]) => value === '')) return null;
  if (split && pairs.length === 1 && pairs[0][0] !== split) return null;
  if (!isMidnight(from, bucketTimeZone) || !isMidnight(to, bucketTimeZone)) return null;
  const [fromDay, toDay] = [localDay(from, bucketTimeZone), localDay(to, bucketTimeZone)];
  if (split) return { field: split, ...(pairs.length === 1 && { value: pairs[0][1] }), fromDay, toDay };
  if (pairs.length === 1) return { field: pairs[0][0], value: pairs[0][1], fromDay, toDay };
  return { field: '', value: '', fromDay, toDay };
}

/** Whether a local day of the zone starts at `at` (the day changes from the millisecond before). */
function isMidnight(at: Date, timeZone: string): boolean {
  return localDay(at.getTime() - 1, timeZone) !== localDay(at, timeZone);
}

/** Persons whose days match every filter, from `jm_person_days` rows chosen by `where` (the per-person path). */
export async function personDays(reader: SqlExecutor, where: string, params: unknown[], filter: JourneyFilter): Promise<PersonDays[]> {
  const rows = await reader.all<{ days: string }>(`SELECT days FROM jm_person_days WHERE ${where}`, params);
  const pairs = filterPairs(filter);
  return rows.map((r) => JSON.parse(r.days) as PersonDays).filter((days) => matchesFilters(days, pairs));
}

/**
 * Funnel sums of one group: the cohort, how many reached each stage, and the gaps between stages
 * as counts per duration bin (GAP_BIN_STRIDE × stage index + bin, the bins of gapBins).
 */
export interface FunnelSums {
  cohort: number;
  reached: number[];
  gaps: Float64Array;
}

export function emptyFunnelSums(): FunnelSums {
  return { cohort: 0, reached: STAGES.map(() => 0), gaps: new Float64Array(STAGES.length * GAP_BIN_STRIDE) };
}

/** The duration bins of one stage's gaps from the previous stage, as quantileFromBins takes them. */
export function stageGapBins(sums: FunnelSums, stage: number): { bin: number; count: number }[] {
  const bins: { bin: number; count: number }[] = [];
  for (let bin = 0; bin < GAP_BIN_STRIDE; bin++) {
    const count = sums.gaps[stage * GAP_BIN_STRIDE + bin];
    if (count !== 0) bins.push({ bin, count });
  }
  return bins;
}

/** Funnel sums per value of the row's field, from the day and week buckets of the window. */
export async function funnelBuckets(reader: SqlExecutor, row: NonNullable<ReturnType<typeof bucketRowOf>>): Promise<Map<string, FunnelSums>> {
  const groups = new Map<string, FunnelSums>();
  // each value's days are a range of the key (pfield, pvalue, day): a split reads its values first, so no other day's row is read
  const values = row.value !== undefined ? [row.value] : await valuesOf(reader, JOURNEY_DAY_TABLES.funnel.day, row.field);
  if (values.length === 0) return groups;
  for (const span of spansOf(row)) {
    const rows = await reader.all<Record<string, unknown>>(
      `SELECT pvalue, cohort, ${STAGES.join(', ')}, gaps FROM ${JOURNEY_DAY_TABLES.funnel[span.table]}
        WHERE pfield = ? AND pvalue IN (${values.map(() => '?').join(', ')}) AND day >= ? AND day < ?`,
      [row.field, ...values, span.fromDay, span.toDay],
    );
    for (const r of rows) {
      const value = String(r.pvalue);
      let sums = groups.get(value);
      if (!sums) groups.set(value, (sums = emptyFunnelSums()));
      sums.cohort += Number(r.cohort);
      STAGES.forEach((s, i) => (sums.reached[i] += Number(r[s])));
      const gaps = sums.gaps;
      forEachGap(r.gaps as Uint8Array, (bin, count) => (gaps[bin] += count));
    }
  }
  for (const [value, sums] of groups) if (sums.cohort === 0) groups.delete(value);
  return groups;
}

/** The values a filter field has rows for: one index seek per value (a recursive walk up the key), not a scan of its rows. */
async function valuesOf(reader: SqlExecutor, table: string, field: string): Promise<string[]> {
  const rows = await reader.all<{ value: string }>(
    `WITH RECURSIVE walk(value) AS (
       SELECT MIN(pvalue) FROM ${table} WHERE pfield = ?
       UNION ALL
       SELECT (SELECT MIN(pvalue) FROM ${table} WHERE pfield = ? AND pvalue > walk.value) FROM walk WHERE walk.value IS NOT NULL
     )
     SELECT value FROM walk WHERE value IS NOT NULL`,
    [field, field],
  );
  return rows.map((r) => r.value);
}

/** Retention sums of one bucket row: active customers at the window's start and end, first purchases and customers lost in it. */
export async function retentionBuckets(
  reader: SqlExecutor,
  row: NonNullable<ReturnType<typeof bucketRowOf>>,
): Promise<{ start: number; end: number; fresh: number; lost: number }> {
  const key = [row.field, row.value ?? ''];
  const activeAt = async (day: string) => {
    const monday = weekOf(day);
    const sum = await reader.get<{ n: number | null }>(
      `SELECT (SELECT COALESCE(SUM(active_change), 0) FROM ${JOURNEY_DAY_TABLES.active.week} WHERE pfield = ? AND pvalue = ? AND day < ?)
            + (SELECT COALESCE(SUM(active_change), 0) FROM ${JOURNEY_DAY_TABLES.active.day} WHERE pfield = ? AND pvalue = ? AND day >= ? AND day < ?) AS n`,
      [...key, monday, ...key, monday, day],
    );
    return Number(sum?.n ?? 0);
  };
  let [fresh, churns] = [0, 0];
  for (const span of spansOf(row)) {
    const sums = await reader.get<{ fresh: number | null; churns: number | null }>(
      `SELECT SUM(fresh) AS fresh, SUM(churns) AS churns FROM ${JOURNEY_DAY_TABLES.active[span.table]} WHERE pfield = ? AND pvalue = ? AND day >= ? AND day < ?`,
      [...key, span.fromDay, span.toDay],
    );
    fresh += Number(sums?.fresh ?? 0);
    churns += Number(sums?.churns ?? 0);
  }
  const repeats = await reader.get<{ n: number | null }>(
    `SELECT SUM(n) AS n FROM ${JOURNEY_DAY_TABLES.repeats} WHERE pfield = ? AND pvalue = ? AND day >= ? AND day < ? AND previous_day >= ?`,
    [...key, row.fromDay, row.toDay, row.fromDay],
  );
  return { start: await activeAt(row.fromDay), end: await activeAt(row.toDay), fresh, lost: churns - Number(repeats?.n ?? 0) };
}
