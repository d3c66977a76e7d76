import type { SqlExecutor } from '../runtime/sql-executor';

/**
 * Reads for `GET /api/v1/churn-risks`: customers with at least one open churn-risk flag, each
 * with all their open flags, the customer whose latest flag is most recent first. Keyset paging
 * on (latest flag time, customer id) keeps pages stable while flags come and go; the cursor is a
 * plain value the HTTP layer encodes.
 */
export interface ChurnRiskFlagItem {
  rule: string;
  reason: string;
  flaggedAt: string;
  evidence: string[];
  episodeId: string;
}

export interface ChurnRiskCustomerItem {
  customerId: string;
  flags: ChurnRiskFlagItem[];
}

/** Where the next page starts: after this customer, whose latest open flag is at `flaggedAt`. */
export interface ChurnRiskCursor {
  flaggedAt: string;
  customerId: string;
}

export interface ChurnRiskListQuery {
  /** Only flags of this rule id (and customers who have one). */
  rule?: string;
  limit: number;
  after?: ChurnRiskCursor;
}

export function isChurnRiskCursor(value: Record<string, unknown>): value is Record<string, unknown> & ChurnRiskCursor {
  return typeof value.flaggedAt === 'string' && typeof value.customerId === 'string';
}

export async function listChurnRisks(reader: SqlExecutor, query: ChurnRiskListQuery): Promise<{ items: ChurnRiskCustomerItem[]; next?: ChurnRiskCursor }> {
  const ruleClause = query.rule === undefined ? '' : ' AND rule = ?';
  const ruleParams = query.rule === undefined ? [] : [query.rule];
  const having = query.after ? 'HAVING MAX(flagged_at) < ? OR (MAX(flagged_at) = ? AND customer_id < ?)' : '';
  const afterParams = query.after ? [query.after.flaggedAt, query.after.flaggedAt, query.after.customerId] : [];
  // One row more than asked tells whether there is a next page.
  const rows = await reader.all<{
    customer_id: string;
    latest: string;
    rule: string;
    reason: string;
    flagged_at: string;
    evidence: string;
    episode_id: string;
  }>(
    `SELECT f.customer_id, p.latest, f.rule, f.reason, f.flagged_at, f.evidence, f.episode_id
     FROM churn_risk_flags f
     JOIN (
       SELECT customer_id, MAX(flagged_at) AS latest FROM churn_risk_flags
       WHERE cleared_at IS NULL${ruleClause}
       GROUP BY customer_id ${having}
       ORDER BY MAX(flagged_at) DESC, customer_id DESC
       LIMIT ?
     ) p ON p.customer_id = f.customer_id
     WHERE f.cleared_at IS NULL${ruleClause.replace('rule', 'f.rule')}
     ORDER BY p.latest DESC, f.customer_id DESC, f.flagged_at DESC, f.episode_id`,
    [...ruleParams, ...afterParams, query.limit + 1, ...ruleParams],
  );
  const customers: ChurnRiskCustomerItem[] = [];
  const latest: string[] = [];
  for (const row of rows) {
    let current = customers[customers.length - 1];
    if (!current || current.customerId !== row.customer_id) {
      customers.push((current = { customerId: row.customer_id, flags: [] }));
      latest.push(row.latest);
    }
    current.flags.push({
      rule: row.rule,
      reason: row.reason,
      flaggedAt: row.flagged_at,
      evidence: JSON.parse(row.evidence) as string[],
      episodeId: row.episode_id,
    });
  }
  const items = customers.slice(0, query.limit);
  if (customers.length <= query.limit) return { items };
  const last = items[items.length - 1];
  return { items, next: { flaggedAt: latest[items.length - 1], customerId: last.customerId } };
}

/** How many customers each rule flags right now (rules with none are absent). */
export async function countChurnRisksByRule(reader: SqlExecutor): Promise<{ rule: string; customers: number }[]> {
  const rows = await reader.all<{ rule: string; customers: number }>(
    'SELECT rule, COUNT(DISTINCT customer_id) AS customers FROM churn_risk_flags WHERE cleared_at IS NULL GROUP BY rule ORDER BY rule',
  );
  return rows.map((row) => ({ rule: row.rule, customers: Number(row.customers) }));
}
