import { STAGES } from '@journeyline/journey';
import { weekOf } from '../cx-cuts/week-spans';
import { addHistograms, addToBin, histogramTableSql, type HistogramDelta, type HistogramKey } from '../cx-cuts/ttr-histogram';
import { insertRows, selectByKeys } from '../runtime/bulk-write';
import type { SqlExecutor } from '../runtime/sql-executor';
import { filterKeysOf, funnelEntryOf, retentionEntryOf, type PersonDays } from './person-days';

/**
 * The funnel and retention as day buckets (and the same sums per week, see week-spans.ts), per
 * filter row (person-days.ts: everyone, one portrait value, one place), in local days of the
 * projection's zone, so a funnel or retention read sums a few dozen rows instead of scanning
 * customers:
 * - `jm_funnel_{days,weeks}`: per awareness day, the cohort and how many of it reached each stage;
 *   `jm_funnel_gap_{days,weeks}`: the gaps between consecutive stages as duration bins (one packed
 *   histogram per row, the stage told by the bin's offset, GAP_BIN_STRIDE);
 * - `jm_active_{days,weeks}`: per day, the change in active customers (the sum of the days before
 *   T is the number active at T), first purchases and churns; `jm_repeat_churns`: churns of a
 *   person who had churned before, by the day of that previous churn, so a window counts a
 *   customer lost twice once.
 */
export const JOURNEY_DAY_TABLES = {
  funnel: { day: 'jm_funnel_days', week: 'jm_funnel_weeks' },
  gaps: { day: 'jm_funnel_gap_days', week: 'jm_funnel_gap_weeks' },
  active: { day: 'jm_active_days', week: 'jm_active_weeks' },
  repeats: 'jm_repeat_churns',
} as const;

export const JOURNEY_DAY_TABLE_NAMES = [
  'jm_person_days',
  ...Object.values(JOURNEY_DAY_TABLES).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t))),
];

const DAY_KEY = ['pfield', 'pvalue', 'day'] as const;
const FUNNEL_COUNTS = ['cohort', ...STAGES] as const;
const ACTIVE_COUNTS = ['active_change', 'fresh', 'churns'] as const;

export function journeyDaysSql(clustered: string): string {
  const counted = (table: string, counts: readonly string[]) =>
    `CREATE TABLE IF NOT EXISTS ${table} (
      pfield TEXT NOT NULL, pvalue TEXT NOT NULL, day TEXT NOT NULL,
      ${counts.map((c) => `${c} BIGINT NOT NULL`).join(', ')},
      PRIMARY KEY (pfield, pvalue, day)
    )${clustered};`;
  return [
    `CREATE TABLE IF NOT EXISTS jm_person_days (
      customer_id TEXT PRIMARY KEY,
      aware_at BIGINT,
      first_purchase_at BIGINT,
      days TEXT NOT NULL
    )${clustered};`,
    ...Object.values(JOURNEY_DAY_TABLES.funnel).map((t) => counted(t, FUNNEL_COUNTS)),
    ...Object.values(JOURNEY_DAY_TABLES.active).map((t) => counted(t, ACTIVE_COUNTS)),
    ...Object.values(JOURNEY_DAY_TABLES.gaps).map((t) => histogramTableSql(t, clustered)),
    `CREATE TABLE IF NOT EXISTS ${JOURNEY_DAY_TABLES.repeats} (
      pfield TEXT NOT NULL, pvalue TEXT NOT NULL, day TEXT NOT NULL, previous_day TEXT NOT NULL, n BIGINT NOT NULL,
      PRIMARY KEY (pfield, pvalue, day, previous_day)
    )${clustered};`,
  ].join('\n');
}

export const JOURNEY_DAY_INDEXES = [
  'CREATE INDEX IF NOT EXISTS jm_person_days_aware ON jm_person_days (aware_at)',
  'CREATE INDEX IF NOT EXISTS jm_person_days_purchase ON jm_person_days (first_purchase_at)',
];

type Counts = number[];

/**
 * The bucket changes of one transaction: every person whose days changed takes out what they
 * brought (stored in `jm_person_days`) and adds what they bring now, summed here per row and
 * written once at the end.
 */
export class JourneyDaysChanges {
  private readonly funnel = { day: new Map<string, Counts>(), week: new Map<string, Counts>() };
  private readonly gaps = { day: new Map<string, HistogramDelta>(), week: new Map<string, HistogramDelta>() };
  private readonly active = { day: new Map<string, Counts>(), week: new Map<string, Counts>() };
  private readonly repeats = new Map<string, Counts>();
  private readonly rows: unknown[][] = [];
  private readonly gone: string[] = [];

  constructor(private readonly timeZone: string) {}

  /** The stored days of these persons. */
  static async load(tx: SqlExecutor, persons: readonly string[]): Promise<Map<string, PersonDays>> {
    const rows = await selectByKeys<{ customer_id: string; days: string }>(
      tx,
      (keys) => `SELECT customer_id, days FROM jm_person_days WHERE customer_id IN (${keys})`,
      persons,
    );
    return new Map(rows.map((r) => [r.customer_id, JSON.parse(r.days) as PersonDays]));
  }

  /** A person's days change from `before` to `after` (null: none, as for a person merged away). */
  change(person: string, before: PersonDays | null, after: PersonDays | null): void {
    const [was, is] = [before && JSON.stringify(before), after && JSON.stringify(after)];
    if (was === is) return;
    if (before) this.add(before, -1);
    if (after) {
      this.add(after, 1);
      this.rows.push([person, after.reached.awareness ?? null, after.firstPurchaseAt, is]);
    } else if (before) this.gone.push(person);
  }

  private add(days: PersonDays, sign: number): void {
    const filters = filterKeysOf(days).map(([field, value]) => `${field}\u0000${value}`);
    const funnel = funnelEntryOf(days, this.timeZone);
    const retention = retentionEntryOf(days, this.timeZone);
    for (const filter of filters) {
      if (funnel) {
        const counts = [sign, ...funnel.reached.map((r) => (r ? sign : 0))];
        this.count(this.funnel, filter, funnel.day, counts);
        for (const [table, day] of [['day', funnel.day] as const, ['week', weekOf(funnel.day)] as const]) {
          const key = `${filter}\u0000${day}`;
          let delta = this.gaps[table].get(key);
          if (!delta) this.gaps[table].set(key, (delta = { key: histogramKey(filter, day), bins: new Map() }));
          for (const bin of funnel.gapBins) addToBin(delta.bins, bin, sign);
        }
      }
      for (const [day, step] of retention.steps) this.count(this.active, filter, day, [step * sign, 0, 0]);
      if (retention.freshDay) this.count(this.active, filter, retention.freshDay, [0, sign, 0]);
      for (const day of retention.churnDays) this.count(this.active, filter, day, [0, 0, sign]);
      for (const [day, previous] of retention.repeats) addCounts(this.repeats, `${filter}\u0000${day}\u0000${previous}`, [sign]);
    }
  }

  private count(tables: { day: Map<string, Counts>; week: Map<string, Counts> }, filter: string, day: string, counts: Counts): void {
    addCounts(tables.day, `${filter}\u0000${day}`, counts);
    addCounts(tables.week, `${filter}\u0000${weekOf(day)}`, counts);
  }

  async write(tx: SqlExecutor): Promise<void> {
    for (const table of ['day', 'week'] as const) {
      await addCountRows(tx, JOURNEY_DAY_TABLES.funnel[table], DAY_KEY, FUNNEL_COUNTS, this.funnel[table]);
      await addCountRows(tx, JOURNEY_DAY_TABLES.active[table], DAY_KEY, ACTIVE_COUNTS, this.active[table]);
      await addHistograms(
        tx,
        JOURNEY_DAY_TABLES.gaps[table],
        [...this.gaps[table].values()].filter((d) => [...d.bins.values()].some((n) => n !== 0)),
      );
    }
    await addCountRows(tx, JOURNEY_DAY_TABLES.repeats, [...DAY_KEY, 'previous_day'], ['n'], this.repeats);
    for (const person of this.gone) await tx.run('DELETE FROM jm_person_days WHERE customer_id = ?', [person]);
    await insertRows(
      tx,
      'INSERT INTO jm_person_days (customer_id, aware_at, first_purchase_at, days)',
      this.rows.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
      'ON CONFLICT (customer_id) DO UPDATE SET aware_at = excluded.aware_at, first_purchase_at = excluded.first_purchase_at, days = excluded.days',
    );
  }
}

function histogramKey(filter: string, day: string): HistogramKey {
  const [field, value] = filter.split('\u0000');
  return [field, value, day, '', '', ''];
}

function addCounts(into: Map<string, Counts>, key: string, counts: Counts): void {
  const sums = into.get(key);
  if (!sums) into.set(key, [...counts]);
  else for (let i = 0; i < counts.length; i++) sums[i] += counts[i];
}

/**
 * Adds counts to rows keyed `keyColumns`, in key order (deltas that all cancel are left out).
 * A row that something was taken from and whose counts are all zero afterwards goes, so the table
 * is the same however its counts came and went (a rebuild never had the row).
 */
async function addCountRows(
  tx: SqlExecutor,
  table: string,
  keyColumns: readonly string[],
  columns: readonly string[],
  sums: Map<string, Counts>,
): Promise<void> {
  const changed = [...sums].filter(([, counts]) => counts.some((n) => n !== 0)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  await insertRows(
    tx,
    `INSERT INTO ${table} (${keyColumns.join(', ')}, ${columns.join(', ')})`,
    changed.map(([key, counts]) => [...key.split('\u0000'), ...counts]),
    `ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${columns.map((c) => `${c} = ${table}.${c} + excluded.${c}`).join(', ')}`,
  );
  const lowered = changed.filter(([, counts]) => counts.some((n) => n < 0)).map(([key]) => key.split('\u0000'));
  const tuple = `(${keyColumns.map(() => '?').join(', ')})`;
  for (let start = 0; start < lowered.length; start += 500) {
    const chunk = lowered.slice(start, start + 500);
    await tx.run(
      `DELETE FROM ${table} WHERE (${keyColumns.join(', ')}) IN (VALUES ${chunk.map(() => tuple).join(', ')}) AND ${columns.map((c) => `${c} = 0`).join(' AND ')}`,
      chunk.flat(),
    );
  }
}
