import { retention } from '@journeyline/journey';
import { DateTime } from 'luxon';
import { bucketRowOf, personDays, retentionBuckets, type JourneyFilter } from '../journey-map/journey-days.queries';
import { activeAt, type PersonDays } from '../journey-map/person-days';
import type { SqlExecutor } from '../runtime/sql-executor';

/**
 * Retention and churn exactly as DESIGN.md defines them. A customer counts from their first
 * purchase until a churn, and again after a reactivation: "active at T" means the first purchase
 * is before T and the last churn/reactivation before T (if any) is a reactivation. Read from the
 * day buckets (journey-days.ts) when they answer it exactly, else per person.
 */
export async function queryRetention(reader: SqlExecutor, from: Date, to: Date, bucketTimeZone: string, filter: JourneyFilter = {}) {
  const row = bucketRowOf(from, to, bucketTimeZone, filter);
  const counts = row ? await retentionBuckets(reader, row) : await retentionPerPerson(reader, from, to, filter);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    ...retention({ startCustomers: counts.start, newCustomers: counts.fresh, endCustomers: counts.end, lostCustomers: counts.lost }),
  };
}

async function retentionPerPerson(reader: SqlExecutor, from: Date, to: Date, filter: JourneyFilter) {
  const [start, end] = [from.getTime(), to.getTime()];
  const counts = { start: 0, end: 0, fresh: 0, lost: 0 };
  for (const days of await personDays(reader, '1 = 1', [], filter)) {
    if (activeAt(days, start)) counts.start++;
    if (activeAt(days, end)) counts.end++;
    if (days.firstPurchaseAt !== null && days.firstPurchaseAt >= start && days.firstPurchaseAt < end) counts.fresh++;
    if (days.lifecycle.some(([at, , churn]) => churn === 1 && at >= start && at < end)) counts.lost++;
  }
  return counts;
}

export interface CohortRow {
  cohort: string;
  customers: number;
  /** Percent of the cohort still active at the end of month N after the first purchase month (index N). */
  retained: number[];
}

/** Monthly cohorts by first-purchase month (local months in `timeZone`), up to `now`. */
export async function queryCohorts(reader: SqlExecutor, from: Date, to: Date, timeZone: string, now: Date, filter: JourneyFilter = {}): Promise<CohortRow[]> {
  const customers = await personDays(reader, 'first_purchase_at >= ? AND first_purchase_at < ?', [from.getTime(), to.getTime()], filter);
  const cohorts = new Map<string, PersonDays[]>();
  for (const days of customers) {
    const month = DateTime.fromMillis(days.firstPurchaseAt!, { zone: timeZone }).toFormat('yyyy-MM');
    const list = cohorts.get(month) ?? cohorts.set(month, []).get(month)!;
    list.push(days);
  }
  const nowMs = now.getTime();
  return [...cohorts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cohort, members]) => {
      const start = DateTime.fromISO(`${cohort}-01`, { zone: timeZone });
      const retained: number[] = [];
      for (let n = 0; ; n++) {
        const monthEnd = start.plus({ months: n + 1 }).toMillis();
        if (monthEnd > nowMs + 31 * 86_400_000 || n > 36) break;
        const at = Math.min(monthEnd, nowMs);
        const active = members.filter((m) => activeAt(m, at)).length;
        retained.push(Math.round((active / members.length) * 10000) / 100);
        if (monthEnd >= nowMs) break;
      }
      return { cohort, customers: members.length, retained };
    });
}
