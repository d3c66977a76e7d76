import type { SqlExecutor } from '../runtime/sql-executor';

/** One kind and name of what the Segment source could not map, for someone to map it. */
export interface SegmentUnmappedItem {
  kind: string;
  name: string;
  /** Messages seen with it. */
  count: number;
  firstSeen: string;
  lastSeen: string;
  /** A messageId that had it (null when those messages came without one). */
  exampleMessageId: string | null;
  /** Why, as of the latest message. */
  reason: string;
}

/** Where the next page starts: after this row in the order (most messages first, then kind and name). */
export interface SegmentUnmappedCursor {
  count: number;
  kind: string;
  name: string;
}

export function isSegmentUnmappedCursor(value: Record<string, unknown>): value is Record<string, unknown> & SegmentUnmappedCursor {
  return Number.isSafeInteger(value.count) && typeof value.kind === 'string' && typeof value.name === 'string';
}

/** The most frequent first; keyset paging on (count, kind, name). */
export async function listSegmentUnmapped(
  reader: SqlExecutor,
  query: { limit: number; after?: SegmentUnmappedCursor },
): Promise<{ items: SegmentUnmappedItem[]; next?: SegmentUnmappedCursor }> {
  const after = query.after;
  const where = after ? 'WHERE messages < ? OR (messages = ? AND (kind > ? OR (kind = ? AND name > ?)))' : '';
  const params = after ? [after.count, after.count, after.kind, after.kind, after.name] : [];
  const rows = await reader.all<{
    kind: string;
    name: string;
    messages: number;
    first_seen: string;
    last_seen: string;
    example_message_id: string | null;
    reason: string;
  }>(
    `SELECT kind, name, messages, first_seen, last_seen, example_message_id, reason FROM segment_unmapped ${where} ORDER BY messages DESC, kind, name LIMIT ?`,
    [...params, query.limit + 1],
  );
  const items = rows.slice(0, query.limit).map((row) => ({
    kind: row.kind,
    name: row.name,
    count: Number(row.messages),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    exampleMessageId: row.example_message_id,
    reason: row.reason,
  }));
  if (rows.length <= query.limit) return { items };
  const last = items[items.length - 1];
  return { items, next: { count: last.count, kind: last.kind, name: last.name } };
}
