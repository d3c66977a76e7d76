import { readStreams, yieldToEventLoop, type EventStore, type StoredEvent } from '@journeyline/event-store';
import { asJourneyEvent, churnRiskEpisodeId, customerStreamId, traceChurnRisk, type ChurnRule, type RecordedJourneyEvent } from '@journeyline/journey';
import { customerProfiles } from '../journey-map/customer-profiles.queries';
import type { SqlExecutor } from '../runtime/sql-executor';
import type { ChurnRiskCustomerItem, ChurnRiskFlagItem, ChurnRiskListQuery, PrioritisedChurnRisk } from './churn-risk.queries';

/** Customers whose streams are read together, and evaluated before other requests get their turn. */
const WHAT_IF_CHUNK = 500;

/**
 * What the churn-risk flags would be under another version of the rules, on the same data, now:
 * every customer's stream is evaluated by those rules (`traceChurnRisk`, the very function the
 * process uses) and the conditions holding now are the flags. Nothing is written, so a team can
 * put last quarter's rules beside this quarter's and see who each would flag.
 *
 * Every customer the journey map knows is read (the persons, and the ids merged into them: flags
 * live in each id's own stream), WHAT_IF_CHUNK streams a read, the event loop free between reads:
 * a cost in the number of events, which is why the server keeps the answer while the log does not move.
 */
export interface EvaluatedChurnRisks {
  rulesVersion: number;
  /** The `now` of the evaluation, ISO. */
  evaluatedAt: string;
  customersEvaluated: number;
  /** Customers with a condition holding now, each with their flags (customer id order). */
  customers: ChurnRiskCustomerItem[];
}

export async function evaluateChurnRisks(
  store: EventStore,
  reader: SqlExecutor,
  rules: readonly ChurnRule[],
  rulesVersion: number,
  now: Date,
): Promise<EvaluatedChurnRisks> {
  const ids = await reader.all<{ customer_id: string }>(
    'SELECT customer_id FROM jm_customers UNION SELECT from_id AS customer_id FROM jm_merges ORDER BY customer_id',
  );
  const customers: ChurnRiskCustomerItem[] = [];
  let evaluated = 0;
  let streams: StoredEvent[][] = [];
  for (const [i, { customer_id: customerId }] of ids.entries()) {
    // the streams of the next chunk of customers in one read (one round trip on PostgreSQL)
    if (i % WHAT_IF_CHUNK === 0)
      streams = await readStreams(
        store,
        ids.slice(i, i + WHAT_IF_CHUNK).map((row) => ({ streamId: customerStreamId(row.customer_id) })),
      );
    const history: RecordedJourneyEvent[] = [];
    for (const event of streams[i % WHAT_IF_CHUNK]) {
      const checked = asJourneyEvent(event);
      if (checked.ok) history.push(checked.event);
    }
    const trace = traceChurnRisk(history, rules, now);
    const flags: ChurnRiskFlagItem[] = trace.spans
      .filter((span) => span.endedAt === null)
      .map((span) => ({
        rule: span.rule,
        reason: span.reason,
        flaggedAt: span.since,
        evidence: span.evidence,
        episodeId: churnRiskEpisodeId(customerId, span.rule, span.key),
        rulesVersion,
      }));
    if (flags.length > 0) customers.push({ customerId, flags: flags.sort((a, b) => (a.flaggedAt < b.flaggedAt ? 1 : a.flaggedAt > b.flaggedAt ? -1 : 0)) });
    if (++evaluated % WHAT_IF_CHUNK === 0) await yieldToEventLoop();
  }
  return { rulesVersion, evaluatedAt: now.toISOString(), customersEvaluated: evaluated, customers };
}

/**
 * A page of evaluated flags as `listChurnRisks` pages the recorded ones: the same sorts, priority
 * (customer value × the highest severity of their flags), keyset cursor, `rule` filter, names.
 */
export async function listEvaluatedChurnRisks(
  reader: SqlExecutor,
  evaluated: EvaluatedChurnRisks,
  query: ChurnRiskListQuery,
): Promise<{ items: PrioritisedChurnRisk[]; next?: [string | number, string] }> {
  const sort = query.sort ?? '-flaggedAt';
  const descending = sort.startsWith('-');
  const field = sort.replace('-', '') as 'priority' | 'flaggedAt' | 'customerId';
  const values = new Map(
    (
      await reader.all<{ customer_id: string; value: number }>(
        'SELECT customer_id, SUM(amount) AS value FROM customer_purchases WHERE at >= ? GROUP BY customer_id',
        [query.valueSince ?? 0],
      )
    ).map((row) => [row.customer_id, Number(row.value)]),
  );
  const rows: PrioritisedChurnRisk[] = [];
  for (const customer of evaluated.customers) {
    const flags = query.rule === undefined ? customer.flags : customer.flags.filter((f) => f.rule === query.rule);
    if (flags.length === 0) continue;
    const severity = Math.max(...flags.map((f) => query.severities?.get(f.rule) ?? 1));
    const value = values.get(customer.customerId) ?? 0;
    const latestFlaggedAt = flags.reduce((latest, f) => (f.flaggedAt > latest ? f.flaggedAt : latest), flags[0].flaggedAt);
    rows.push({ customerId: customer.customerId, flags, name: null, value, severity, priority: value * severity, latestFlaggedAt });
  }
  const sortValue = (row: PrioritisedChurnRisk): string | number =>
    field === 'priority' ? row.priority : field === 'flaggedAt' ? row.latestFlaggedAt : row.customerId;
  const compare = (a: [string | number, string], b: [string | number, string]) => {
    const order = a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
    return descending ? -order : order;
  };
  const sorted = rows.sort((a, b) => compare([sortValue(a), a.customerId], [sortValue(b), b.customerId]));
  const after = query.after;
  const from = after ? sorted.filter((row) => compare([sortValue(row), row.customerId], [field === 'customerId' ? after[1] : after[0], after[1]]) > 0) : sorted;
  const page = from.slice(0, query.limit);
  const profiles = await customerProfiles(
    reader,
    page.map((row) => row.customerId),
  );
  for (const row of page) row.name = profiles.get(row.customerId)?.name ?? null;
  if (from.length <= query.limit) return { items: page };
  const last = page[page.length - 1];
  return { items: page, next: [sortValue(last), last.customerId] };
}

/** How many customers each rule would flag (rules with none are absent). */
export function countEvaluatedByRule(evaluated: EvaluatedChurnRisks): { rule: string; customers: number }[] {
  const counts = new Map<string, number>();
  for (const customer of evaluated.customers) for (const rule of new Set(customer.flags.map((f) => f.rule))) counts.set(rule, (counts.get(rule) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([rule, customers]) => ({ rule, customers }));
}
