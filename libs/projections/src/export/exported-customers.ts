import type { EventStore } from '@journeyline/event-store';
import { asJourneyEvent, customerStreamId, type Stage } from '@journeyline/journey';
import type { JourneySummary } from '../journey-map/journey-summary';
import { customerListItem, listCustomers, type CustomerListItem } from '../journey-map/journey-map.queries';
import { selectByKeys } from '../runtime/bulk-write';
import type { SqlExecutor } from '../runtime/sql-executor';
import type { ExportRequest } from './export-request';

/** A customer as a campaign tool takes them: portrait, contact, stage, churn, latest scores (personal fields still sealed). */
export interface ExportedCustomer {
  customerId: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  segment: string | null;
  region: string | null;
  ageBand: string | null;
  gender: string | null;
  acquisitionChannel: string | null;
  currentStage: Stage | null;
  currentStageSince: string | null;
  firstSeenAt: string;
  lastSeenAt: string;
  churned: boolean;
  churnRisk: boolean;
  churnRiskRules: string[];
  lastNps: number | null;
  lastCsat: number | boolean | null;
  lastCsatScale: string | null;
  lastCes: number | null;
  lastCesScale: string | null;
  erased: boolean;
}

/** The columns of the customers CSV, in order. */
export const EXPORTED_CUSTOMER_COLUMNS: readonly (keyof ExportedCustomer)[] = [
  'customerId',
  'name',
  'email',
  'phone',
  'segment',
  'region',
  'ageBand',
  'gender',
  'acquisitionChannel',
  'currentStage',
  'currentStageSince',
  'firstSeenAt',
  'lastSeenAt',
  'churned',
  'churnRisk',
  'churnRiskRules',
  'lastNps',
  'lastCsat',
  'lastCsatScale',
  'lastCes',
  'lastCesScale',
  'erased',
];

export interface CustomerPage {
  customers: ExportedCustomer[];
  /** Customers of the list read so far, of `end`. */
  done: number;
  end: number;
}

/**
 * The customer list in customer id order, a page at a time (keyset paging of the journey map's
 * list, `listCustomers`), with what the list leaves out: age band, gender and the latest CSAT and
 * CES from the same per-customer summary, e-mail and phone from the customer's stream (the
 * latest `CustomerProfiled` values: the read model does not keep them). `from` / `to` keep the
 * customers active then (last seen at or after `from`, first seen before `to`).
 */
export async function* exportedCustomers(reader: SqlExecutor, store: EventStore, request: ExportRequest, pageSize = 500): AsyncGenerator<CustomerPage> {
  const active = (item: CustomerListItem) =>
    (!request.from || Date.parse(item.lastSeenAt) >= request.from.getTime()) && (!request.to || Date.parse(item.firstSeenAt) < request.to.getTime());
  if (request.customerId !== undefined) {
    const item = await customerListItem(reader, request.customerId);
    yield { customers: item && active(item) ? await completed(reader, store, [item]) : [], done: 1, end: 1 };
    return;
  }
  const end = (await reader.get<{ n: number }>('SELECT COUNT(*) AS n FROM jm_customers'))?.n ?? 0;
  let done = 0;
  for (let after: [string | number, string] | undefined; ;) {
    const page = await listCustomers(reader, { sort: 'customerId', limit: pageSize, after });
    done += page.items.length;
    yield { customers: await completed(reader, store, page.items.filter(active)), done: Math.min(done, end), end };
    if (!page.next) return;
    after = page.next;
  }
}

async function completed(reader: SqlExecutor, store: EventStore, items: readonly CustomerListItem[]): Promise<ExportedCustomer[]> {
  if (items.length === 0) return [];
  const rows = await selectByKeys<{ customer_id: string; summary: string }>(
    reader,
    (keys) => `SELECT customer_id, summary FROM jm_customers WHERE customer_id IN (${keys})`,
    items.map((item) => item.customerId),
  );
  const summaries = new Map(rows.map((row) => [row.customer_id, JSON.parse(row.summary) as JourneySummary]));
  const customers: ExportedCustomer[] = [];
  for (const item of items) {
    const summary = summaries.get(item.customerId);
    const contact = await contactOf(store, item.customerId);
    customers.push({
      customerId: item.customerId,
      name: item.name,
      email: contact.email ?? null,
      phone: contact.phone ?? null,
      segment: item.segment,
      region: item.region,
      ageBand: summary?.profile.ageBand ?? null,
      gender: summary?.profile.gender ?? null,
      acquisitionChannel: item.acquisitionChannel,
      currentStage: item.currentStage,
      currentStageSince: item.currentStageSince,
      firstSeenAt: item.firstSeenAt,
      lastSeenAt: item.lastSeenAt,
      churned: item.churned,
      churnRisk: item.churnRisk,
      churnRiskRules: item.churnRiskRules,
      lastNps: item.lastNps,
      lastCsat: summary?.lastCsat?.score ?? null,
      lastCsatScale: summary?.lastCsat?.scale ?? null,
      lastCes: summary?.lastCes?.score ?? null,
      lastCesScale: summary?.lastCes?.scale ?? null,
      erased: item.erased,
    });
  }
  return customers;
}

/** The customer's latest e-mail and phone: the last CustomerProfiled that gave each, in (occurredAt, arrival) order. */
async function contactOf(store: EventStore, customerId: string): Promise<{ email?: string; phone?: string }> {
  const profiles: { at: number; revision: number; email?: string; phone?: string }[] = [];
  for (const stored of await store.readStream(customerStreamId(customerId))) {
    if (stored.type !== 'CustomerProfiled') continue;
    const checked = asJourneyEvent(stored);
    if (checked.ok && checked.event.type === 'CustomerProfiled') {
      profiles.push({ at: Date.parse(stored.occurredAt), revision: stored.revision, email: checked.event.data.email, phone: checked.event.data.phone });
    }
  }
  profiles.sort((a, b) => a.at - b.at || a.revision - b.revision);
  const contact: { email?: string; phone?: string } = {};
  for (const profile of profiles) {
    if (profile.email !== undefined) contact.email = profile.email;
    if (profile.phone !== undefined) contact.phone = profile.phone;
  }
  return contact;
}
