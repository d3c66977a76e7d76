import { retention } from '@journeyline/journey';
import { DateTime } from 'luxon';
import { portraitJoin, type PortraitFilter } from '../cx-cuts/cx-cuts.queries';
import type { SqlExecutor } from '../runtime/sql-executor';

/**
 * Retention and churn exactly as DESIGN.md defines them. A customer counts from their first
 * purchase until a churn, and again after a reactivation: "active at T" means the first purchase
 * is before T and the last churn/reactivation before T (if any) is a reactivation.
 */
export async function queryRetention(reader: SqlExecutor, from: Date, to: Date, portrait?: PortraitFilter) {
  const [start, end] = [await activeAt(reader, from, portrait), await activeAt(reader, to, portrait)];
  const customers = portraitJoin('c.customer_id', portrait);
  const fresh = await reader.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM jm_customers c ${customers.sql} WHERE c.first_purchase_at >= ? AND c.first_purchase_at < ?`,
    [...customers.params, from.getTime(), to.getTime()],
  );
  const lifecycle = portraitJoin('l.customer_id', portrait);
  const lost = await reader.get<{ n: number }>(
    `SELECT COUNT(DISTINCT l.customer_id) AS n FROM jm_lifecycle l ${lifecycle.sql} WHERE l.kind = 'churn' AND l.at >= ? AND l.at < ?`,
    [...lifecycle.params, from.getTime(), to.getTime()],
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    ...retention({ startCustomers: start, newCustomers: Number(fresh?.n ?? 0), endCustomers: end, lostCustomers: Number(lost?.n ?? 0) }),
  };
}

async function activeAt(reader: SqlExecutor, at: Date, portrait?: PortraitFilter): Promise<number> {
  const filter = portraitJoin('c.customer_id', portrait);
  const row = await reader.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM jm_customers c ${filter.sql}
      WHERE c.first_purchase_at < ?
        AND COALESCE((SELECT l.kind FROM jm_lifecycle l WHERE l.customer_id = c.customer_id AND l.at < ? ORDER BY l.at DESC, l.position DESC LIMIT 1), '') <> 'churn'`,
    [...filter.params, at.getTime(), at.getTime()],
  );
  return Number(row?.n ?? 0);
}

export interface CohortRow {
  cohort: string;
  customers: number;
  /** Percent of the cohort still active at the end of month N after the first purchase month (index N). */
  retained: number[];
}

/** Monthly cohorts by first-purchase month (local months in `timeZone`), up to `now`. */
export async function queryCohorts(reader: SqlExecutor, from: Date, to: Date, timeZone: string, now: Date, portrait?: PortraitFilter): Promise<CohortRow[]> {
  const filter = portraitJoin('c.customer_id', portrait);
  const customers = await reader.all<{ customer_id: string; first_purchase_at: number }>(
    `SELECT c.customer_id, c.first_purchase_at FROM jm_customers c ${filter.sql} WHERE c.first_purchase_at >= ? AND c.first_purchase_at < ?`,
    [...filter.params, from.getTime(), to.getTime()],
  );
  const lifecycle = await reader.all<{ customer_id: string; at: number; kind: string; position: number }>(
    `SELECT l.customer_id, l.at, l.kind, l.position FROM jm_lifecycle l JOIN jm_customers c ON c.customer_id = l.customer_id ${filter.sql}
      WHERE c.first_purchase_at >= ? AND c.first_purchase_at < ? ORDER BY l.at, l.position`,
    [...filter.params, from.getTime(), to.getTime()],
  );
  const changes = new Map<string, { at: number; kind: string }[]>();
  for (const row of lifecycle) {
    const list = changes.get(row.customer_id) ?? [];
    list.push({ at: Number(row.at), kind: row.kind });
    changes.set(row.customer_id, list);
  }
  const cohorts = new Map<string, { customerId: string; firstPurchaseAt: number }[]>();
  for (const c of customers) {
    const month = DateTime.fromMillis(Number(c.first_purchase_at), { zone: timeZone }).toFormat('yyyy-MM');
    const list = cohorts.get(month) ?? [];
    list.push({ customerId: c.customer_id, firstPurchaseAt: Number(c.first_purchase_at) });
    cohorts.set(month, list);
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
        const active = members.filter((m) => {
          if (m.firstPurchaseAt >= at) return false;
          const last = (changes.get(m.customerId) ?? []).filter((c) => c.at < at).pop();
          return !last || last.kind !== 'churn';
        }).length;
        retained.push(Math.round((active / members.length) * 10000) / 100);
        if (monthEnd >= nowMs) break;
      }
      return { cohort, customers: members.length, retained };
    });
}
