import { customerProfiles, isMissingTable } from '../journey-map/customer-profiles.queries';
import { followUpStats, type FollowUpFacts, type FollowUpReason, type FollowUpStats, type FollowUpStatus, type Stage } from '@journeyline/journey';
import type { SqlExecutor } from '../runtime/sql-executor';
import { ownersByTouchpoint } from '../touchpoint-catalog/touchpoint-catalog.queries';

/** A follow-up as the API lists it; `owner` is its touchpoint's owner in the catalog now (null when not registered). */
export interface FollowUpItem {
  followUpId: string;
  customerId: string;
  /** From the customer's portrait (sealed at rest, opened on the way out; null when unknown or erased). */
  customerName: string | null;
  touchpoint: string | null;
  channel: string | null;
  stage: Stage | null;
  owner: string | null;
  reason: FollowUpReason;
  kind: 'nps' | 'ces' | 'review';
  score: number;
  scale: string;
  answerEventId: string;
  openedAt: string;
  status: FollowUpStatus;
  assignee: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  /** What was done (sealed at rest; opened on the way out). */
  outcome: string | null;
}

export interface FollowUpNote {
  note: string | null;
  by: string;
  at: string;
}

export interface FollowUpFilter {
  status?: FollowUpStatus;
  owner?: string;
  touchpoint?: string;
  customerId?: string;
}

/** Where the next page starts: after this row in the order (oldest opened first: the longest waiting). */
export interface FollowUpCursor {
  openedAt: string;
  followUpId: string;
}

export function isFollowUpCursor(value: Record<string, unknown>): value is Record<string, unknown> & FollowUpCursor {
  return typeof value.openedAt === 'string' && typeof value.followUpId === 'string';
}

interface FollowUpRow {
  follow_up_id: string;
  customer_id: string;
  touchpoint: string | null;
  channel: string | null;
  stage: Stage | null;
  reason: FollowUpReason;
  kind: FollowUpItem['kind'];
  scale: string;
  score: number;
  answer_event_id: string;
  opened_at: string;
  status: FollowUpStatus;
  assignee: string | null;
  resolved_at: string | null;
  resolved_by: string | null;
  outcome: string | null;
}

const COLUMNS =
  'follow_up_id, customer_id, touchpoint, channel, stage, reason, kind, scale, score, answer_event_id, opened_at, status, assignee, resolved_at, resolved_by, outcome';

function itemOf(row: FollowUpRow, owners: ReadonlyMap<string, string>, names: ReadonlyMap<string, string>): FollowUpItem {
  return {
    followUpId: row.follow_up_id,
    customerId: row.customer_id,
    customerName: names.get(row.customer_id) ?? null,
    touchpoint: row.touchpoint,
    channel: row.channel,
    stage: row.stage,
    owner: row.touchpoint === null ? null : (owners.get(row.touchpoint) ?? null),
    reason: row.reason,
    kind: row.kind,
    score: Number(row.score),
    scale: row.scale,
    answerEventId: row.answer_event_id,
    openedAt: row.opened_at,
    status: row.status,
    assignee: row.assignee,
    resolvedAt: row.resolved_at,
    resolvedBy: row.resolved_by,
    outcome: row.outcome,
  };
}

/** `open` means not resolved (open or assigned) when a filter asks for it: what is still to do. */
function filterSql(filter: FollowUpFilter, owners: ReadonlyMap<string, string>): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.touchpoint !== undefined) {
    where.push('touchpoint = ?');
    params.push(filter.touchpoint);
  }
  if (filter.customerId !== undefined) {
    where.push('customer_id = ?');
    params.push(filter.customerId);
  }
  if (filter.owner !== undefined) {
    const owned = [...owners].filter(([, owner]) => owner === filter.owner).map(([touchpoint]) => touchpoint);
    if (owned.length === 0) where.push('1 = 0');
    else {
      where.push(`touchpoint IN (${owned.map(() => '?').join(', ')})`);
      params.push(...owned);
    }
  }
  return { where, params };
}

/** Oldest first (the longest waiting at the top); keyset paging on (opened_at, follow_up_id). */
export async function listFollowUps(
  reader: SqlExecutor,
  query: FollowUpFilter & { limit: number; after?: FollowUpCursor },
): Promise<{ items: FollowUpItem[]; next?: FollowUpCursor }> {
  const owners = await ownersByTouchpoint(reader);
  const { where, params } = filterSql(query, owners);
  if (query.after) {
    where.push('(opened_at > ? OR (opened_at = ? AND follow_up_id > ?))');
    params.push(query.after.openedAt, query.after.openedAt, query.after.followUpId);
  }
  const rows = await reader.all<FollowUpRow>(
    `SELECT ${COLUMNS} FROM follow_ups ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY opened_at, follow_up_id LIMIT ?`,
    [...params, query.limit + 1],
  );
  const page = rows.slice(0, query.limit);
  const names = await customerNames(
    reader,
    page.map((row) => row.customer_id),
  );
  const items = page.map((row) => itemOf(row, owners, names));
  if (rows.length <= query.limit) return { items };
  const last = items[items.length - 1];
  return { items, next: { openedAt: last.openedAt, followUpId: last.followUpId } };
}

/** One follow-up with its notes (oldest first); null when there is none. */
export async function getFollowUp(reader: SqlExecutor, followUpId: string): Promise<(FollowUpItem & { notes: FollowUpNote[] }) | null> {
  const row = await reader.get<FollowUpRow>(`SELECT ${COLUMNS} FROM follow_ups WHERE follow_up_id = ?`, [followUpId]);
  if (!row) return null;
  const notes = await reader.all<{ note: string; noted_by: string; noted_at: string }>(
    'SELECT note, noted_by, noted_at FROM follow_up_notes WHERE follow_up_id = ? ORDER BY noted_at, event_id',
    [followUpId],
  );
  const owners = row.touchpoint === null ? new Map<string, string>() : await ownersByTouchpoint(reader);
  return {
    ...itemOf(row, owners, await customerNames(reader, [row.customer_id])),
    notes: notes.map((n) => ({ note: n.note, by: n.noted_by, at: n.noted_at })),
  };
}

/** The customers' names from the journey map's portrait (the sealed text: answers are opened on the way out). */
async function customerNames(reader: SqlExecutor, customerIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const [id, profile] of await customerProfiles(reader, customerIds)) if (typeof profile.name === 'string') names.set(id, profile.name);
  return names;
}

/** SQL selecting the customers with a follow-up still to do, for a filter of another query (`customer_id IN (...)`). */
export const OPEN_FOLLOW_UP_CUSTOMERS_SQL = "SELECT DISTINCT customer_id FROM follow_ups WHERE status <> 'resolved'";

/** The customers with a follow-up still to do (open or assigned); empty before the first follow-up. */
export async function openFollowUpCustomers(reader: SqlExecutor): Promise<string[]> {
  try {
    return (await reader.all<{ customer_id: string }>(`${OPEN_FOLLOW_UP_CUSTOMERS_SQL} ORDER BY customer_id`)).map((row) => row.customer_id);
  } catch (error) {
    if (isMissingTable(error)) return [];
    throw error;
  }
}

/**
 * The stats of the follow-ups opened in [from, to) (see follow-up-stats.ts in libs/journey), with
 * each resolved one's customer's next answer of the same kind and scale after the resolution.
 */
export async function followUpStatsOf(reader: SqlExecutor, window: { from: string; to: string }): Promise<FollowUpStats> {
  const from = new Date(window.from).toISOString();
  const to = new Date(window.to).toISOString();
  const rows = await reader.all<FollowUpRow>(`SELECT ${COLUMNS} FROM follow_ups WHERE opened_at >= ? AND opened_at < ? ORDER BY opened_at, follow_up_id`, [
    from,
    to,
  ]);
  const next = await reader.all<{ follow_up_id: string; touchpoint: string | null; score: number; occurred_at: string }>(
    `SELECT f.follow_up_id, a.touchpoint, a.score, a.occurred_at
       FROM follow_ups f JOIN follow_up_answers a
         ON a.customer_id = f.customer_id AND a.kind = f.kind AND a.scale = f.scale AND a.occurred_at > f.resolved_at
      WHERE f.opened_at >= ? AND f.opened_at < ? AND f.resolved_at IS NOT NULL
      ORDER BY f.follow_up_id, a.occurred_at, a.event_id`,
    [from, to],
  );
  const answersAfter = new Map<string, { touchpoint: string | null; score: number }[]>();
  for (const answer of next) {
    const list = answersAfter.get(answer.follow_up_id) ?? [];
    list.push({ touchpoint: answer.touchpoint, score: Number(answer.score) });
    answersAfter.set(answer.follow_up_id, list);
  }
  const facts = rows.map((row): FollowUpFacts => {
    const after = answersAfter.get(row.follow_up_id) ?? [];
    return {
      openedAt: row.opened_at,
      resolvedAt: row.resolved_at,
      resolvedBy: row.resolved_by,
      outcome: row.outcome,
      score: Number(row.score),
      nextScoreSameTouchpoint: after.find((a) => a.touchpoint === row.touchpoint)?.score ?? null,
      nextScoreAnywhere: after[0]?.score ?? null,
    };
  });
  return followUpStats(facts);
}
