import type { StoredEvent } from '@journeyline/event-store';
import { readUnmappedRecord, SEGMENT_UNMAPPED_TYPE } from '@journeyline/segment';
import type { Projection } from '../runtime/projection';
import { insertRows } from '../runtime/bulk-write';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/**
 * The Segment source's unmapped messages, by kind and name (`track` "Signed Up", `identify` trait
 * "plan"), for `GET /api/v1/sources/segment/unmapped`: how many messages, first and last seen (when
 * the store recorded them), an example messageId and the latest reason. It folds the records of the
 * `segment-unmapped` stream, which are not journey events (`recordTypes`). A row remembers the last
 * position it counted, so applying a batch twice counts nothing twice. SQL portable to PostgreSQL.
 */
export class SegmentUnmappedProjection implements Projection {
  readonly name = 'segment-unmapped';
  readonly eventTypes: ReadonlySet<string> = new Set();
  readonly recordTypes: ReadonlySet<string> = new Set([SEGMENT_UNMAPPED_TYPE]);
  readonly version = '1';
  readonly tables = ['segment_unmapped'] as const;
  readonly queryIndexes = ['CREATE INDEX IF NOT EXISTS segment_unmapped_by_messages ON segment_unmapped (messages DESC, kind, name)'];

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS segment_unmapped (
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        messages BIGINT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        example_message_id TEXT,
        reason TEXT NOT NULL,
        last_position BIGINT NOT NULL,
        PRIMARY KEY (kind, name)
      )${clusteredByKey(tx)};
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  /** It folds no journey events. */
  async apply(): Promise<void> {}

  async applyRecords(records: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
    const rows = new Map<string, Row>();
    const rowOf = async (kind: string, name: string): Promise<Row | undefined> => {
      const key = JSON.stringify([kind, name]);
      if (!rows.has(key)) {
        const stored = await tx.get<StoredRow>(
          'SELECT kind, name, messages, first_seen, last_seen, example_message_id, reason, last_position FROM segment_unmapped WHERE kind = ? AND name = ?',
          [kind, name],
        );
        rows.set(
          key,
          stored ? { ...stored, messages: Number(stored.messages), last_position: Number(stored.last_position), changed: false } : newRow(kind, name),
        );
      }
      return rows.get(key);
    };
    for (const record of records) {
      const read = readUnmappedRecord(record.data);
      if (read === null)
        throw new Error(`malformed ${SEGMENT_UNMAPPED_TYPE} ${record.eventId}: data must be {messageType, messageId, items: [{kind, name, reason}]}`);
      const counted = new Set<string>();
      for (const item of read.items) {
        const key = JSON.stringify([item.kind, item.name]);
        if (counted.has(key)) continue;
        counted.add(key);
        const row = (await rowOf(item.kind, item.name))!;
        if (record.position <= row.last_position) continue; // applied before
        row.messages += 1;
        if (row.first_seen === '' || record.recordedAt < row.first_seen) row.first_seen = record.recordedAt;
        if (record.recordedAt > row.last_seen) row.last_seen = record.recordedAt;
        row.example_message_id ??= read.messageId;
        row.reason = item.reason;
        row.last_position = record.position;
        row.changed = true;
      }
    }
    const changed = [...rows.values()].filter((row) => row.changed);
    await insertRows(
      tx,
      'INSERT INTO segment_unmapped (kind, name, messages, first_seen, last_seen, example_message_id, reason, last_position)',
      changed.map((r) => [r.kind, r.name, r.messages, r.first_seen, r.last_seen, r.example_message_id, r.reason, r.last_position]),
      `ON CONFLICT (kind, name) DO UPDATE SET messages = excluded.messages, first_seen = excluded.first_seen, last_seen = excluded.last_seen,
       example_message_id = excluded.example_message_id, reason = excluded.reason, last_position = excluded.last_position`,
    );
  }
}

interface StoredRow {
  kind: string;
  name: string;
  messages: number;
  first_seen: string;
  last_seen: string;
  example_message_id: string | null;
  reason: string;
  last_position: number;
}

type Row = StoredRow & { changed: boolean };

function newRow(kind: string, name: string): Row {
  return { kind, name, messages: 0, first_seen: '', last_seen: '', example_message_id: null, reason: '', last_position: 0, changed: false };
}
