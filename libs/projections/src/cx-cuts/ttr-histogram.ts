import { forKeyChunks, insertRows } from '../runtime/bulk-write';
import type { SqlExecutor } from '../runtime/sql-executor';
import { weekOf } from './week-spans';

/**
 * Resolution times' histograms per local day and per week (see week-spans.ts), one row per place
 * and portrait value: the counts of each bin (durationBin) packed into one text column. A bin a
 * row of its own made a 90-day TTR cut read about as many rows as tickets (nearly every ticket of
 * a day and place falls in a bin of its own, the bins being 1% wide); packed, it reads one row per
 * week and place, and the bins are added up here.
 */
export const TTR_HISTOGRAM_TABLES = { day: 'cut_ttr_histograms', week: 'cut_week_ttr_histograms' } as const;

/** A histogram row's key: the portrait field and value, the day (a week's Monday in the week table), the place. */
export const HISTOGRAM_KEY = ['pfield', 'pvalue', 'day', 'touchpoint', 'channel', 'stage'] as const;
export type HistogramKey = [string, string, string, string, string, string];

/** Bins to add to one histogram row. */
export interface HistogramDelta {
  key: HistogramKey;
  bins: Map<number, number>;
}

/** `bin:count` pairs, by bin, comma-separated (bins without counts left out). */
export function packBins(bins: ReadonlyMap<number, number>): string {
  return [...bins]
    .filter(([, count]) => count !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([bin, count]) => `${bin}:${count}`)
    .join(',');
}

/** Adds `count` to a bin's count. */
export function addToBin(bins: Map<number, number>, bin: number, count: number): void {
  bins.set(bin, (bins.get(bin) ?? 0) + count);
}

/** Adds packed bins (packBins) into `into`. */
export function addPackedBins(into: Map<number, number>, packed: string): void {
  if (packed === '') return;
  for (const pair of packed.split(',')) {
    const at = pair.indexOf(':');
    addToBin(into, Number(pair.slice(0, at)), Number(pair.slice(at + 1)));
  }
}

/** The day and week TTR histogram tables (TTR_HISTOGRAM_TABLES), keyed as HISTOGRAM_KEY. */
export function histogramTablesSql(clustered: string): string {
  return Object.values(TTR_HISTOGRAM_TABLES)
    .map(
      (table) => `CREATE TABLE IF NOT EXISTS ${table} (
        pfield TEXT NOT NULL, pvalue TEXT NOT NULL, day TEXT NOT NULL, touchpoint TEXT NOT NULL, channel TEXT NOT NULL, stage TEXT NOT NULL,
        bins TEXT NOT NULL,
        PRIMARY KEY (${HISTOGRAM_KEY.join(', ')})
      )${clustered};`,
    )
    .join('\n');
}

/** The day deltas added up per week (the day then names the week's Monday). */
export function weekHistograms(days: Iterable<HistogramDelta>): HistogramDelta[] {
  const weeks = new Map<string, HistogramDelta>();
  for (const day of days) {
    const key: HistogramKey = [...day.key];
    key[2] = weekOf(key[2]);
    const id = key.join('\u0000');
    const week = weeks.get(id);
    if (!week) weeks.set(id, { key, bins: new Map(day.bins) });
    else for (const [bin, count] of day.bins) addToBin(week.bins, bin, count);
  }
  return [...weeks.values()];
}

/**
 * Adds bin deltas to a histogram table: the rows the deltas touch are read, added to and written
 * back whole (a packed column cannot be added to in SQL). Runs inside the projection's
 * transaction, so no other writer sees the rows in between.
 */
export async function addHistograms(tx: SqlExecutor, table: string, deltas: readonly HistogramDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  const stored = new Map<string, string>();
  await forKeyChunks(
    deltas.map((d) => d.key),
    async (values, params) => {
      const rows = await tx.all<Record<(typeof HISTOGRAM_KEY)[number] | 'bins', string>>(
        `SELECT ${HISTOGRAM_KEY.join(', ')}, bins FROM ${table} WHERE (${HISTOGRAM_KEY.join(', ')}) IN (VALUES ${values})`,
        params,
      );
      for (const row of rows) stored.set(HISTOGRAM_KEY.map((c) => row[c]).join('\u0000'), row.bins);
    },
  );
  const written = deltas.map((delta) => {
    const bins = new Map<number, number>();
    addPackedBins(bins, stored.get(delta.key.join('\u0000')) ?? '');
    for (const [bin, count] of delta.bins) addToBin(bins, bin, count);
    return [...delta.key, packBins(bins)];
  });
  await insertRows(
    tx,
    `INSERT INTO ${table} (${HISTOGRAM_KEY.join(', ')}, bins)`,
    written,
    `ON CONFLICT (${HISTOGRAM_KEY.join(', ')}) DO UPDATE SET bins = excluded.bins`,
  );
}
