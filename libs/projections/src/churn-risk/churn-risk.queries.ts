import { customerProfiles } from '../journey-map/customer-profiles.queries';
import type { SqlExecutor } from '../runtime/sql-executor';

/**
 * Reads for `GET /api/v1/churn-risks`: customers with at least one open churn-risk flag, each
 * with all their open flags, sorted by priority (customer value × rule severity), latest flag or
 * customer id. Keyset paging on (sort value, customer id) keeps pages stable while flags come and
 * go; the cursor is a plain value the HTTP layer encodes.
 */
export interface ChurnRiskFlagItem {
  rule: string;
  reason: string;
  flaggedAt: string;
  evidence: string[];
  episodeId: string;
  /** The churn-risk rules version that raised the flag (null: raised before rules were versioned). */
  rulesVersion: number | null;
}

export interface ChurnRiskCustomerItem {
  customerId: string;
  flags: ChurnRiskFlagItem[];
}

export const CHURN_RISK_SORTS = ['priority', '-priority', 'flaggedAt', '-flaggedAt', 'customerId', '-customerId'] as const;
export type ChurnRiskSort = (typeof CHURN_RISK_SORTS)[number];

export interface ChurnRiskListQuery {
  /** Only flags of this rule id (and customers who have one). */
  rule?: string;
  limit: number;
  /** Default -flaggedAt (the customer whose latest flag is most recent first). */
  sort?: ChurnRiskSort;
  /** Keyset position after which the page starts: the sort value and the customer id. */
  after?: [string | number, string];
  /** Rule id → severity (rules absent weigh 1). */
  severities?: ReadonlyMap<string, number>;
  /** A customer's value is what they bought, in VND, at or after this instant (epoch ms). */
  valueSince?: number;
}

/** A flagged customer with their priority: customer value × the highest severity among their open flags. */
export interface PrioritisedChurnRisk extends ChurnRiskCustomerItem {
  /** The (sealed) name from the journey map; null when none was given or it was erased. */
  name: string | null;
  /** What they bought in VND since `valueSince`. */
  value: number;
  severity: number;
  priority: number;
  latestFlaggedAt: string;
}

const SORT_COLUMN: Record<string, string> = { priority: 'priority', flaggedAt: 'latest', customerId: 'customer_id' };

export function isChurnRiskCursor(value: Record<string, unknown>): value is Record<string, unknown> & { s: string; v: string | number; id: string } {
  return typeof value.s === 'string' && typeof value.id === 'string' && (typeof value.v === 'string' || typeof value.v === 'number');
}

/**
 * Flagged customers, sorted by priority, latest flag or customer id, keyset-paged; each with all
 * their open flags (of `rule` when given), their (sealed) name and their value.
 */
export async function listChurnRisks(
  reader: SqlExecutor,
  query: ChurnRiskListQuery,
): Promise<{ items: PrioritisedChurnRisk[]; next?: [string | number, string] }> {
  const sort = query.sort ?? '-flaggedAt';
  const descending = sort.startsWith('-');
  const column = SORT_COLUMN[sort.replace('-', '')];
  const ruleClause = query.rule === undefined ? '' : ' AND rule = ?';
  const ruleParams = query.rule === undefined ? [] : [query.rule];
  const severities = [...(query.severities ?? new Map<string, number>())];
  const severity = severities.length
    ? `CASE rule ${severities.map(() => 'WHEN ? THEN CAST(? AS DOUBLE PRECISION)').join(' ')} ELSE CAST(1 AS DOUBLE PRECISION) END`
    : 'CAST(1 AS DOUBLE PRECISION)';
  const op = descending ? '<' : '>';
  const typed = column === 'priority' ? 'CAST(? AS DOUBLE PRECISION)' : '?';
  const keyset = query.after
    ? column === 'customer_id'
      ? `WHERE customer_id ${op} ?`
      : `WHERE (${column} ${op} ${typed} OR (${column} = ${typed} AND customer_id ${op} ?))`
    : '';
  const keysetParams = query.after ? (column === 'customer_id' ? [query.after[1]] : [query.after[0], query.after[0], query.after[1]]) : [];
  const direction = descending ? 'DESC' : 'ASC';
  const rows = await reader.all<{ customer_id: string; latest: string; severity: number; value: number; priority: number }>(
    `SELECT * FROM (
       SELECT p.customer_id, p.latest, p.severity, COALESCE(v.value, 0) AS value, COALESCE(v.value, 0) * p.severity AS priority
       FROM (
         SELECT customer_id, MAX(flagged_at) AS latest, MAX(${severity}) AS severity FROM churn_risk_flags
         WHERE cleared_at IS NULL${ruleClause} GROUP BY customer_id
       ) p
       LEFT JOIN (SELECT customer_id, SUM(amount) AS value FROM customer_purchases WHERE at >= ? GROUP BY customer_id) v ON v.customer_id = p.customer_id
     ) t ${keyset}
     ORDER BY ${column === 'customer_id' ? '' : `${column} ${direction}, `}customer_id ${direction} LIMIT ?`,
    [...severities.flat(), ...ruleParams, query.valueSince ?? 0, ...keysetParams, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  const ids = page.map((row) => row.customer_id);
  const marks = ids.map(() => '?').join(', ');
  const flags = ids.length
    ? await reader.all<{
        customer_id: string;
        rule: string;
        reason: string;
        flagged_at: string;
        evidence: string;
        episode_id: string;
        rules_version: number | null;
      }>(
        `SELECT customer_id, rule, reason, flagged_at, evidence, episode_id, rules_version FROM churn_risk_flags
         WHERE cleared_at IS NULL AND customer_id IN (${marks})${ruleClause} ORDER BY flagged_at DESC, episode_id`,
        [...ids, ...ruleParams],
      )
    : [];
  const profiles = await customerProfiles(reader, ids);
  const nameOf = new Map([...profiles].map(([id, profile]) => [id, profile.name ?? null]));
  const items = page.map((row): PrioritisedChurnRisk => ({
    customerId: row.customer_id,
    name: nameOf.get(row.customer_id) ?? null,
    value: Number(row.value),
    severity: Number(row.severity),
    priority: Number(row.priority),
    latestFlaggedAt: row.latest,
    flags: flags
      .filter((f) => f.customer_id === row.customer_id)
      .map((f) => ({
        rule: f.rule,
        reason: f.reason,
        flaggedAt: f.flagged_at,
        evidence: JSON.parse(f.evidence) as string[],
        episodeId: f.episode_id,
        rulesVersion: f.rules_version === null ? null : Number(f.rules_version),
      })),
  }));
  if (rows.length <= query.limit) return { items };
  const last = page[page.length - 1];
  const value = column === 'priority' ? Number(last.priority) : column === 'latest' ? last.latest : last.customer_id;
  return { items, next: [value, last.customer_id] };
}

/** How many customers each rule flags right now (rules with none are absent). */
export async function countChurnRisksByRule(reader: SqlExecutor): Promise<{ rule: string; customers: number }[]> {
  const rows = await reader.all<{ rule: string; customers: number }>(
    'SELECT rule, COUNT(DISTINCT customer_id) AS customers FROM churn_risk_flags WHERE cleared_at IS NULL GROUP BY rule ORDER BY rule',
  );
  return rows.map((row) => ({ rule: row.rule, customers: Number(row.customers) }));
}
