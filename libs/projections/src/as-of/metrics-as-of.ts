import type { EventStore } from '@journeyline/event-store';
import { localDay } from '@journeyline/journey';
import { DateTime } from 'luxon';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { Projector } from '../runtime/projector';
import type { SqlExecutor } from '../runtime/sql-executor';
import { SqliteReadModelDatabase } from '../sqlite/sqlite-read-model-database';
import { RecordedUntil } from './recorded-until';

/**
 * How a metric answer as of a past moment is made (the fast path): the metrics read model keys
 * every bucket by the local day its events were recorded (`rday`), so the rows recorded before
 * the day of `asOf` are summed as they are, and the events recorded on that day up to `asOf` (at
 * most one day of the log; none when `asOf` is a midnight, as a bare date is) are folded by the
 * same projection into a scratch database and added. Equal to a replay of the log up to `asOf`
 * (a property test checks it), without one.
 */
export interface MetricsAsOf {
  asOf: string;
  /** Rows recorded on local days before this one count whole. */
  beforeDay: string;
  /** The day's events recorded up to `asOf`, folded (null: none to add). */
  tail: SqlExecutor | null;
  /** Events of the log read for the tail. */
  tailEvents: number;
  path: 'recorded-day buckets' | 'recorded-day buckets + the day replayed';
  /** Drops the scratch database. */
  release(): Promise<void>;
}

export async function metricsAsOf(store: EventStore, reader: SqlExecutor, timeZone: string, asOf: Date): Promise<MetricsAsOf> {
  const beforeDay = localDay(asOf, timeZone);
  const midnight = DateTime.fromISO(beforeDay, { zone: timeZone }).toMillis();
  const base = { asOf: asOf.toISOString(), beforeDay };
  const first =
    midnight === asOf.getTime()
      ? undefined
      : await reader.get<{ first_position: number }>('SELECT first_position FROM cx_recorded_days WHERE rday >= ? ORDER BY rday LIMIT 1', [beforeDay]);
  if (first === undefined) return { ...base, tail: null, tailEvents: 0, path: 'recorded-day buckets', release: async () => undefined };
  const scratch = SqliteReadModelDatabase.open(':memory:');
  const log = new RecordedUntil(store, asOf, Number(first.first_position));
  await new Projector(log, scratch, [new CxMetricsProjection(timeZone)]).catchUp();
  return { ...base, tail: scratch.reader, tailEvents: log.eventsRead, path: 'recorded-day buckets + the day replayed', release: () => scratch.close() };
}

/**
 * Rows of a sums query as of `asOf`: the read model's rows recorded before its day (the query's
 * WHERE gains `AND rday < ?`, so it must end its WHERE with `${RECORDED}`), plus the same query on
 * the day's folded tail, added up by the grouping columns. Without `asOf`, the query as it is.
 */
export const RECORDED = '/*recorded*/';

export async function sumRows<T extends Record<string, unknown>>(
  reader: SqlExecutor,
  sql: string,
  params: unknown[],
  groupColumns: readonly string[],
  sumColumns: readonly string[],
  asOf?: MetricsAsOf,
): Promise<T[]> {
  if (!asOf) return reader.all<T>(sql.replace(RECORDED, ''), params);
  const whereEnd = sql.indexOf(RECORDED);
  const before = sql.slice(0, whereEnd).split('?').length - 1;
  const recordedParams = [...params.slice(0, before), asOf.beforeDay, ...params.slice(before)];
  const rows = await reader.all<T>(sql.replace(RECORDED, 'AND rday < ?'), recordedParams);
  if (!asOf.tail) return rows;
  const tail = await asOf.tail.all<T>(sql.replace(RECORDED, ''), params);
  const merged = new Map<string, Record<string, unknown>>();
  for (const row of [...rows, ...tail]) {
    const id = groupColumns.map((c) => String(row[c])).join('\u0000');
    const seen = merged.get(id);
    if (!seen) merged.set(id, { ...row });
    else for (const c of sumColumns) seen[c] = Number(seen[c]) + Number(row[c]);
  }
  const ordered = [...merged.values()].sort((a, b) => {
    for (const c of groupColumns) {
      const x = String(a[c]);
      const y = String(b[c]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
  return ordered as T[];
}
