import { STAGE_LABELS, type Stage } from '@journeyline/journey';
import type { CustomerListItem } from './customer-list-item';
import type { SqlExecutor } from '../runtime/sql-executor';
import type { JourneySummary } from './journey-summary';
import { OPEN_FOLLOW_UP_CUSTOMERS_SQL } from '../follow-ups/follow-ups.queries';
import { customerSearchClause, type CustomerSearch } from '../customer-search/customer-search.queries';

export const CUSTOMER_SORTS = ['lastSeen', '-lastSeen', 'firstSeen', '-firstSeen', 'customerId', '-customerId'] as const;
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface CustomerFilter {
  stage?: Stage;
  segment?: string;
  region?: string;
  acquisitionChannel?: string;
  churnRisk?: boolean;
  churned?: boolean;
  touchpoint?: string;
  /** `q=`: id prefix, or name / e-mail / phone through the blind index. */
  search?: CustomerSearch;
  /** Their latest NPS answer is a detractor's (0-6). */
  detractor?: boolean;
  /** They have a ticket open (or, false, none). */
  openTickets?: boolean;
  /** Only these customers (an outside filter). */
  customerIds?: readonly string[];
  /** They have a follow-up still to do (open or assigned), or, false, none. */
  openFollowUp?: boolean;
  /** Active (last seen) at or after this instant. */
  since?: Date;
  sort: CustomerSort;
  limit: number;
  /** Keyset position after which the page starts: [sort value, customer id]. */
  after?: [string | number, string];
}

const SORT_COLUMN: Record<string, string> = { lastSeen: 'last_seen_at', firstSeen: 'first_seen_at', customerId: 'customer_id' };

/** Filtered, sorted, keyset-paged customers. Returns one row more than `limit` when there is a next page. */
export async function listCustomers(reader: SqlExecutor, filter: CustomerFilter): Promise<{ items: CustomerListItem[]; next?: [string | number, string] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (filter.stage) add('current_stage = ?', filter.stage);
  if (filter.segment) add('segment = ?', filter.segment);
  if (filter.region) add('region = ?', filter.region);
  if (filter.acquisitionChannel) add('acquisition_channel = ?', filter.acquisitionChannel);
  if (filter.churnRisk !== undefined) add('churn_risk = ?', filter.churnRisk ? 1 : 0);
  if (filter.churned !== undefined) add('churned = ?', filter.churned ? 1 : 0);
  if (filter.since) add('last_seen_at >= ?', filter.since.getTime());
  if (filter.search) {
    const clause = customerSearchClause(filter.search);
    add(clause.sql, ...clause.params);
  }
  if (filter.detractor !== undefined) add(filter.detractor ? 'last_nps <= 6' : '(last_nps IS NULL OR last_nps > 6)');
  if (filter.openTickets !== undefined) add(filter.openTickets ? 'open_tickets > 0' : 'open_tickets = 0');
  if (filter.customerIds) add(filter.customerIds.length ? `customer_id IN (${filter.customerIds.map(() => '?').join(', ')})` : '1 = 0', ...filter.customerIds);
  if (filter.touchpoint) add('customer_id IN (SELECT customer_id FROM jm_touchpoints WHERE touchpoint = ?)', filter.touchpoint);
  if (filter.openFollowUp !== undefined) add(`customer_id ${filter.openFollowUp ? '' : 'NOT '}IN (${OPEN_FOLLOW_UP_CUSTOMERS_SQL})`);
  const descending = filter.sort.startsWith('-');
  const column = SORT_COLUMN[filter.sort.replace('-', '')];
  if (filter.after) {
    const [value, id] = filter.after;
    add(
      column === 'customer_id'
        ? `customer_id ${descending ? '<' : '>'} ?`
        : `(${column} ${descending ? '<' : '>'} ? OR (${column} = ? AND customer_id ${descending ? '<' : '>'} ?))`,
      ...(column === 'customer_id' ? [id] : [value, value, id]),
    );
  }
  const order =
    column === 'customer_id'
      ? `customer_id ${descending ? 'DESC' : 'ASC'}`
      : `${column} ${descending ? 'DESC' : 'ASC'}, customer_id ${descending ? 'DESC' : 'ASC'}`;
  const rows = await reader.all<{ customer_id: string; summary: string; last_seen_at: number; first_seen_at: number }>(
    `SELECT customer_id, summary, last_seen_at, first_seen_at FROM jm_customers ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`,
    [...params, filter.limit + 1],
  );
  const page = rows.slice(0, filter.limit);
  const items = page.map((row) => toItem(row.customer_id, JSON.parse(row.summary) as JourneySummary));
  const last = page[page.length - 1];
  const next: [string | number, string] | undefined =
    rows.length > filter.limit
      ? [column === 'customer_id' ? last.customer_id : Number((last as unknown as Record<string, number>)[column]), last.customer_id]
      : undefined;
  return { items, next };
}

function toItem(customerId: string, s: JourneySummary): CustomerListItem {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    customerId,
    currentStage: s.currentStage,
    currentStageLabel: s.currentStage ? STAGE_LABELS[s.currentStage] : null,
    currentStageSince: iso(s.currentStageAt),
    firstSeenAt: iso(s.firstSeenAt)!,
    lastSeenAt: iso(s.lastSeenAt)!,
    segment: s.profile.segment ?? null,
    region: s.profile.region ?? null,
    acquisitionChannel: s.profile.acquisitionChannel ?? null,
    name: s.profile.name ?? null,
    erased: s.erased ?? false,
    churned: s.churned,
    churnRisk: Object.keys(s.churnRisks).length > 0,
    churnRiskRules: [...new Set(Object.values(s.churnRisks))].sort(),
    openTickets: s.openTickets,
    lastNps: s.lastNps?.score ?? null,
    eventCount: s.factCount,
  };
}

export type { CustomerListItem };

/** One customer's row of the list, or null (a subject access export shows what the read model holds). */
export async function customerListItem(reader: SqlExecutor, customerId: string): Promise<CustomerListItem | null> {
  const row = await reader.get<{ summary: string }>('SELECT summary FROM jm_customers WHERE customer_id = ?', [customerId]);
  return row ? toItem(customerId, JSON.parse(row.summary) as JourneySummary) : null;
}
