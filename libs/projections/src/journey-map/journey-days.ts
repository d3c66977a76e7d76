import { STAGES } from '@journeyline/journey';
import { addToBin } from '../cx-cuts/ttr-histogram';
import { dayNumber, dayOf, mondayOf } from '../cx-cuts/week-spans';
import { forKeyChunks, insertRows, selectByKeys } from '../runtime/bulk-write';
import type { SqlExecutor } from '../runtime/sql-executor';
import { filterKeysOf, funnelEntryOf, retentionEntryOf, type FunnelEntry, type PersonDays, type RetentionEntry } from './person-days';

/**
 * The funnel and retention as day buckets (and the same sums per week, see week-spans.ts), per
 * filter row (person-days.ts: everyone, one portrait value, one place), in local days of the
 * projection's zone, so a funnel or retention read sums a few dozen rows instead of scanning
 * customers:
 * - `jm_funnel_{days,weeks}`: per awareness day, the cohort, how many of it reached each stage,
 *   and the gaps between consecutive stages as duration bins (`gaps`: [bin, count] pairs as
 *   32-bit integers, the stage told by the bin's offset, GAP_BIN_STRIDE; binary, as a read of a
 *   90-day funnel adds up some ten thousand of them);
 * - `jm_active_{days,weeks}`: per day, the change in active customers (the sum of the days before
 *   T is the number active at T), first purchases and churns; `jm_repeat_churns`: churns of a
 *   person who had churned before, by the day of that previous churn, so a window counts a
 *   customer lost twice once.
 */
export const JOURNEY_DAY_TABLES = {
  funnel: { day: 'jm_funnel_days', week: 'jm_funnel_weeks' },
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

export function journeyDaysSql(clustered: string, dialect: SqlExecutor['dialect']): string {
  const counted = (table: string, counts: readonly string[], extra = '') =>
    `CREATE TABLE IF NOT EXISTS ${table} (
      pfield TEXT NOT NULL, pvalue TEXT NOT NULL, day TEXT NOT NULL,
      ${counts.map((c) => `${c} BIGINT NOT NULL`).join(', ')},${extra}
      PRIMARY KEY (pfield, pvalue, day)
    )${clustered};`;
  return [
    `CREATE TABLE IF NOT EXISTS jm_person_days (
      customer_id TEXT PRIMARY KEY,
      aware_at BIGINT,
      first_purchase_at BIGINT,
      days TEXT NOT NULL
    )${clustered};`,
    ...Object.values(JOURNEY_DAY_TABLES.funnel).map((t) => counted(t, FUNNEL_COUNTS, ` gaps ${dialect === 'postgres' ? 'BYTEA' : 'BLOB'} NOT NULL,`)),
    ...Object.values(JOURNEY_DAY_TABLES.active).map((t) => counted(t, ACTIVE_COUNTS)),
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

/** One filter row's changes in a transaction, by day number (days since 1970-01-01 of the local date); weeks are summed from the days at write. */
interface FilterChanges {
  funnel: Map<number, Counts>;
  /** The gap bins each person added (a bin) or took out (−1 − the bin): counted at write, a filter at a time (a map per day and filter held 200 MB in a rebuild). */
  gaps: Map<number, number[]>;
  active: Map<number, Counts>;
  /** day → previous churn's day → count */
  repeats: Map<number, Map<number, number>>;
}

/** A person's days as stored in `jm_person_days`: parsed, and the text (JSON.stringify of the days) they were stored as. */
export interface StoredDays {
  days: PersonDays;
  text: string;
}

/** What one person's days add to (or, `sign` −1, take from) each filter row they count under. */
interface Contribution {
  sign: number;
  /** The filter rows, as `field\u0000value`. */
  keys: string[];
  funnel: FunnelEntry | null;
  funnelDay: number | null;
  funnelCounts: Counts | null;
  retention: RetentionEntry;
  active: Map<number, Counts>;
  repeats: number[][];
}

function sameFunnelEntry(a: FunnelEntry | null, b: FunnelEntry | null): boolean {
  if (a === null || b === null) return a === b;
  return a.day === b.day && sameList(a.reached, b.reached) && sameList(a.gapBins, b.gapBins);
}

function sameRetentionEntry(a: RetentionEntry, b: RetentionEntry): boolean {
  return (
    a.freshDay === b.freshDay &&
    sameList(a.churnDays, b.churnDays) &&
    sameList(a.steps, b.steps, (x, y) => x[0] === y[0] && x[1] === y[1]) &&
    sameList(a.repeats, b.repeats, (x, y) => x[0] === y[0] && x[1] === y[1])
  );
}

function sameList<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean = (x, y) => x === y): boolean {
  return a.length === b.length && a.every((x, i) => same(x, b[i]));
}

/**
 * The bucket changes of one transaction: every person whose days changed takes out what they
 * brought (stored in `jm_person_days`) and adds what they bring now, summed here per row and
 * written once at the end. A person counts under some twenty filter rows, so the sums are kept by
 * filter and day number (no key strings per count: a rebuild adds a hundred thousand persons).
 */
export class JourneyDaysChanges {
  private readonly filters = new Map<string, FilterChanges>();
  private readonly rows: unknown[][] = [];
  private readonly gone: string[] = [];

  constructor(private readonly timeZone: string) {}

  /** The stored days of these persons, with their stored text (what `change` compares, unparsed). */
  static async load(tx: SqlExecutor, persons: readonly string[]): Promise<Map<string, StoredDays>> {
    const rows = await selectByKeys<{ customer_id: string; days: string }>(
      tx,
      (keys) => `SELECT customer_id, days FROM jm_person_days WHERE customer_id IN (${keys})`,
      persons,
    );
    return new Map(rows.map((r) => [r.customer_id, { days: JSON.parse(r.days) as PersonDays, text: r.days }]));
  }

  /**
   * A person's days change from those `stored` to `after` (null: none, as for a person new here or merged away).
   * Under a filter row the person counts under both before and after, their funnel part (or their
   * retention part) is left alone when it is the same before and after: taking it out and adding it
   * back would sum to nothing, after reading and writing the row. Of the 15,903 such changes in the
   * 60,000 events after position 600,000 of the benchmark's log, replayed in 10,000-event
   * transactions, the retention part was the same in 91% and the funnel part in 33%: that replay
   * read 34 chunks of funnel rows instead of 54, and the journey map's part of it took 18% less
   * time (the README's Benchmarks).
   */
  change(person: string, stored: StoredDays | null, after: PersonDays | null): void {
    const before = stored?.days ?? null;
    const is = after && JSON.stringify(after);
    if ((stored?.text ?? null) === is) return;
    const taken = before && this.contributionOf(before, -1);
    const added = after && this.contributionOf(after, 1);
    const sameFunnel = taken !== null && added !== null && sameFunnelEntry(taken.funnel, added.funnel);
    const sameRetention = taken !== null && added !== null && sameRetentionEntry(taken.retention, added.retention);
    const keysAfter = new Set(added?.keys);
    const keysBefore = new Set(taken?.keys);
    for (const key of taken?.keys ?? []) this.add(key, taken!, !(sameFunnel && keysAfter.has(key)), !(sameRetention && keysAfter.has(key)));
    for (const key of added?.keys ?? []) this.add(key, added!, !(sameFunnel && keysBefore.has(key)), !(sameRetention && keysBefore.has(key)));
    if (after) this.rows.push([person, after.reached.awareness ?? null, after.firstPurchaseAt, is]);
    else if (before) this.gone.push(person);
  }

  /** What a person's days add to each of their filter rows (`sign` −1: take out). */
  private contributionOf(days: PersonDays, sign: number): Contribution {
    const funnel = funnelEntryOf(days, this.timeZone);
    const retention = retentionEntryOf(days, this.timeZone);
    const active = new Map<number, Counts>();
    for (const [day, step] of retention.steps) addCounts(active, dayNumber(day), [step * sign, 0, 0]);
    if (retention.freshDay) addCounts(active, dayNumber(retention.freshDay), [0, sign, 0]);
    for (const day of retention.churnDays) addCounts(active, dayNumber(day), [0, 0, sign]);
    return {
      sign,
      keys: filterKeysOf(days).map(([field, value]) => `${field}\u0000${value}`),
      funnel,
      funnelDay: funnel && dayNumber(funnel.day),
      funnelCounts: funnel && [sign, ...funnel.reached.map((r) => (r ? sign : 0))],
      retention,
      active,
      repeats: retention.repeats.map(([day, previous]) => [dayNumber(day), dayNumber(previous)]),
    };
  }

  /** Adds a contribution's funnel part (when `funnel`) and retention part (when `retention`) under one filter row. */
  private add(key: string, contribution: Contribution, funnel: boolean, retention: boolean): void {
    if (!funnel && !retention) return;
    let changes = this.filters.get(key);
    if (!changes) this.filters.set(key, (changes = { funnel: new Map(), gaps: new Map(), active: new Map(), repeats: new Map() }));
    if (funnel && contribution.funnel) {
      addCounts(changes.funnel, contribution.funnelDay!, contribution.funnelCounts!);
      let bins = changes.gaps.get(contribution.funnelDay!);
      if (!bins) changes.gaps.set(contribution.funnelDay!, (bins = []));
      for (const bin of contribution.funnel.gapBins) bins.push(contribution.sign > 0 ? bin : -1 - bin);
    }
    if (!retention) return;
    for (const [day, counts] of contribution.active) addCounts(changes.active, day, counts);
    for (const [day, previous] of contribution.repeats) {
      let previousDays = changes.repeats.get(day);
      if (!previousDays) changes.repeats.set(day, (previousDays = new Map()));
      addToBin(previousDays, previous, contribution.sign);
    }
  }

  async write(tx: SqlExecutor): Promise<void> {
    // filters are summed and written in groups, so a rebuild's gap histograms are never all in memory at once
    let sums = new BucketSums();
    for (const [filter, changes] of this.filters) {
      sums.add(filter, changes);
      if (sums.binsHeld >= 200_000) {
        await sums.write(tx);
        sums = new BucketSums();
      }
    }
    await sums.write(tx);
    const repeats = new Map<string, Counts>();
    for (const [filter, changes] of this.filters)
      for (const [day, previousDays] of changes.repeats)
        for (const [previous, n] of previousDays) addCounts(repeats, `${filter}\u0000${dayOf(day)}\u0000${dayOf(previous)}`, [n]);
    await addCountRows(tx, JOURNEY_DAY_TABLES.repeats, [...DAY_KEY, 'previous_day'], ['n'], repeats);
    await this.writePersons(tx);
  }

  /** Writes the persons' own days changed so far (in key order) and lets them go; the sums by filter stay for `write`. */
  async writePersons(tx: SqlExecutor): Promise<void> {
    for (const person of this.gone) await tx.run('DELETE FROM jm_person_days WHERE customer_id = ?', [person]);
    await insertRows(
      tx,
      'INSERT INTO jm_person_days (customer_id, aware_at, first_purchase_at, days)',
      this.rows.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)),
      'ON CONFLICT (customer_id) DO UPDATE SET aware_at = excluded.aware_at, first_purchase_at = excluded.first_purchase_at, days = excluded.days',
    );
    this.gone.length = 0;
    this.rows.length = 0;
  }
}

/** Some filters' changes as the rows they add to, by (filter, day) key: what one group of writes holds. */
class BucketSums {
  private readonly funnel = { day: new Map<string, Counts>(), week: new Map<string, Counts>() };
  private readonly active = { day: new Map<string, Counts>(), week: new Map<string, Counts>() };
  private readonly gaps = { day: new Map<string, Map<number, number>>(), week: new Map<string, Map<number, number>>() };
  binsHeld = 0;

  add(filter: string, changes: FilterChanges): void {
    for (const [day, counts] of changes.funnel) {
      addCounts(this.funnel.day, `${filter}\u0000${dayOf(day)}`, counts);
      addCounts(this.funnel.week, `${filter}\u0000${dayOf(mondayOf(day))}`, counts);
    }
    for (const [day, counts] of changes.active) {
      addCounts(this.active.day, `${filter}\u0000${dayOf(day)}`, counts);
      addCounts(this.active.week, `${filter}\u0000${dayOf(mondayOf(day))}`, counts);
    }
    // forEach, not for-of: no [key, value] pair allocated per entry (the gap bins are most of a transaction's)
    changes.gaps.forEach((bins, day) => {
      this.addGaps(this.gaps.day, `${filter}\u0000${dayOf(day)}`, bins);
      this.addGaps(this.gaps.week, `${filter}\u0000${dayOf(mondayOf(day))}`, bins);
    });
  }

  private addGaps(into: Map<string, Map<number, number>>, key: string, bins: readonly number[]): void {
    let sums = into.get(key);
    if (!sums) into.set(key, (sums = new Map()));
    const before = sums.size;
    for (const bin of bins)
      if (bin >= 0) addToBin(sums, bin, 1);
      else addToBin(sums, -1 - bin, -1);
    this.binsHeld += sums.size - before;
  }

  async write(tx: SqlExecutor): Promise<void> {
    for (const table of ['day', 'week'] as const) {
      await addFunnelRows(tx, JOURNEY_DAY_TABLES.funnel[table], this.funnel[table], this.gaps[table]);
      await addCountRows(tx, JOURNEY_DAY_TABLES.active[table], DAY_KEY, ACTIVE_COUNTS, this.active[table]);
    }
  }
}

/**
 * Gap bins as stored: [bin, count] pairs (counts not zero), by bin, as little-endian 32-bit
 * integers. `changes` added to the `stored` pairs (none: empty) in one merge of the two bin-ordered
 * lists: a funnel row's histogram holds hundreds of pairs and a transaction changes a few, and
 * reading each into a map to write it out again made a third of a replay's allocations.
 */
export function addToGaps(stored: Uint8Array | null, changes: ReadonlyMap<number, number>): Buffer {
  const bins = [...changes.keys()].filter((bin) => changes.get(bin) !== 0).sort((a, b) => a - b);
  const pairs = stored ? stored.byteLength >> 3 : 0;
  const from = stored && new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  const out = new DataView(new ArrayBuffer((pairs + bins.length) * 8));
  let [i, j, at] = [0, 0, 0];
  while (i < pairs || j < bins.length) {
    const storedBin = i < pairs ? from!.getInt32(i * 8, true) : Infinity;
    const addedBin = j < bins.length ? bins[j] : Infinity;
    const bin = Math.min(storedBin, addedBin);
    const count = (storedBin === bin ? from!.getInt32(i++ * 8 + 4, true) : 0) + (addedBin === bin ? changes.get(bins[j++])! : 0);
    if (count === 0) continue;
    out.setInt32(at, bin, true);
    out.setInt32(at + 4, count, true);
    at += 8;
  }
  return Buffer.from(out.buffer, 0, at);
}

/** Calls `add` with each [bin, count] pair of stored gap bins (addToGaps). */
export function forEachGap(stored: Uint8Array, add: (bin: number, count: number) => void): void {
  const view = new DataView(stored.buffer, stored.byteOffset, stored.byteLength);
  for (let at = 0; at + 8 <= stored.byteLength; at += 8) add(view.getInt32(at, true), view.getInt32(at + 4, true));
}

/**
 * Adds counts and gap bins to funnel rows: the rows touched are read, added to and written back
 * whole (a histogram cannot be added to in SQL), inside the projection's transaction; a row whose
 * cohort is back to zero (every person in it taken out) goes.
 */
async function addFunnelRows(tx: SqlExecutor, table: string, counts: Map<string, Counts>, gaps: Map<string, Map<number, number>>): Promise<void> {
  const keys = [...new Set([...counts.keys(), ...gaps.keys()])].sort();
  if (keys.length === 0) return;
  const stored = new Map<string, { counts: Counts; gaps: Uint8Array | null }>();
  await forKeyChunks(
    keys.map((key) => key.split('\u0000')),
    async (values, params) => {
      const rows = await tx.all<Record<string, unknown>>(
        `SELECT pfield, pvalue, day, ${FUNNEL_COUNTS.join(', ')}, gaps FROM ${table} WHERE (pfield, pvalue, day) IN (VALUES ${values})`,
        params,
      );
      for (const row of rows)
        stored.set(`${row.pfield}\u0000${row.pvalue}\u0000${row.day}`, { counts: FUNNEL_COUNTS.map((c) => Number(row[c])), gaps: row.gaps as Uint8Array });
    },
  );
  const written: unknown[][] = [];
  const emptied: string[][] = [];
  const none = new Map<number, number>();
  for (const key of keys) {
    const row = stored.get(key) ?? { counts: FUNNEL_COUNTS.map(() => 0), gaps: null };
    (counts.get(key) ?? []).forEach((n, i) => (row.counts[i] += n));
    if (row.counts[0] === 0) emptied.push(key.split('\u0000'));
    else written.push([...key.split('\u0000'), ...row.counts, addToGaps(row.gaps, gaps.get(key) ?? none)]);
  }
  await deleteRows(tx, table, DAY_KEY, emptied);
  await insertRows(
    tx,
    `INSERT INTO ${table} (pfield, pvalue, day, ${FUNNEL_COUNTS.join(', ')}, gaps)`,
    written,
    `ON CONFLICT (pfield, pvalue, day) DO UPDATE SET ${[...FUNNEL_COUNTS, 'gaps'].map((c) => `${c} = excluded.${c}`).join(', ')}`,
  );
}

function addCounts<K>(into: Map<K, Counts>, key: K, counts: Counts): void {
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
  await deleteRows(tx, table, keyColumns, lowered, columns.map((c) => ` AND ${c} = 0`).join(''));
}

/** Deletes the rows of these keys (values of `keyColumns`, in order) that also meet `condition` (` AND ...`), 500 keys a statement. */
async function deleteRows(tx: SqlExecutor, table: string, keyColumns: readonly string[], keys: readonly string[][], condition = ''): Promise<void> {
  await forKeyChunks(keys, (values, params) => tx.run(`DELETE FROM ${table} WHERE (${keyColumns.join(', ')}) IN (VALUES ${values})${condition}`, params));
}
