import type { SqlExecutor } from '@journeyline/projections';

export interface TouchpointComment {
  eventId: string;
  customerId: string;
  customerName: string | null;
  segment: string | null;
  occurredAt: string;
  kind: string;
  score: number | boolean;
  scale: string;
  stage: string | null;
  channel: string | null;
  comment: string;
}

export interface CommentsRequest {
  touchpoint: string;
  /** ISO instants, `to` exclusive. */
  from: string;
  to: string;
  limit: number;
  /** Feedback rows read at most before answering with what was found. */
  maxScan: number;
}

const CHUNK = 500;

/**
 * The latest comments left at one touchpoint, newest first by when they were given, with the
 * customer who gave them. No read model indexes comments yet, so this walks the journey map's
 * FeedbackGiven facts backwards in time in chunks (keyset on occurred_at, position: portable SQL
 * that runs the same on SQLite and PostgreSQL), keeps the ones at this touchpoint that carry a
 * comment (the JSON is read here, not in SQL, because SQLite and PostgreSQL spell JSON access
 * differently) and stops at `limit` comments or `maxScan` rows. `complete` is false when it
 * stopped at `maxScan` before the window was exhausted.
 */
export async function latestComments(reader: SqlExecutor, request: CommentsRequest): Promise<{ items: TouchpointComment[]; scanned: number; complete: boolean }> {
  const found: Omit<TouchpointComment, 'customerName' | 'segment'>[] = [];
  let scanned = 0;
  let after: { occurredAt: string; position: number } | null = null;
  let exhausted = false;
  while (found.length < request.limit && scanned < request.maxScan) {
    const size = Math.min(CHUNK, request.maxScan - scanned);
    const rows: { customer_id: string; position: number; event_id: string; occurred_at: string; data: string }[] = await reader.all(
      `SELECT customer_id, position, event_id, occurred_at, data FROM jm_facts
        WHERE type = 'FeedbackGiven' AND occurred_at >= ? AND occurred_at < ?
          ${after ? 'AND (occurred_at < ? OR (occurred_at = ? AND position < ?))' : ''}
        ORDER BY occurred_at DESC, position DESC LIMIT ?`,
      [request.from, request.to, ...(after ? [after.occurredAt, after.occurredAt, after.position] : []), size],
    );
    scanned += rows.length;
    for (const row of rows) {
      const data = JSON.parse(row.data) as { touchpoint?: string; comment?: string; kind: string; score: number | boolean; scale: string; stage?: string; channel?: string };
      if (data.touchpoint !== request.touchpoint || typeof data.comment !== 'string' || data.comment.trim() === '') continue;
      found.push({
        eventId: row.event_id, customerId: row.customer_id, occurredAt: row.occurred_at, kind: data.kind, score: data.score, scale: data.scale,
        stage: data.stage ?? null, channel: data.channel ?? null, comment: data.comment,
      });
      if (found.length === request.limit) break;
    }
    if (rows.length < size) {
      exhausted = true;
      break;
    }
    const last = rows[rows.length - 1];
    after = { occurredAt: last.occurred_at, position: Number(last.position) };
  }
  const complete = exhausted || found.length >= request.limit;
  const people = await customers(reader, [...new Set(found.map((c) => c.customerId))]);
  return {
    items: found.map((c) => ({ ...c, customerName: people.get(c.customerId)?.name ?? null, segment: people.get(c.customerId)?.segment ?? null })),
    scanned,
    complete,
  };
}

async function customers(reader: SqlExecutor, ids: string[]): Promise<Map<string, { name: string | null; segment: string | null }>> {
  const result = new Map<string, { name: string | null; segment: string | null }>();
  if (ids.length === 0) return result;
  const rows = await reader.all<{ customer_id: string; summary: string }>(
    `SELECT customer_id, summary FROM jm_customers WHERE customer_id IN (${ids.map(() => '?').join(', ')})`,
    ids,
  );
  for (const row of rows) {
    const profile = (JSON.parse(row.summary) as { profile?: Record<string, string> }).profile ?? {};
    result.set(row.customer_id, { name: profile.name ?? null, segment: profile.segment ?? null });
  }
  return result;
}
