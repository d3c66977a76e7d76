import type { StoredEvent } from '@journeyline/event-store';
import { customerIdOf, FOLLOW_UP_EVENT_TYPES, readFollowUpEvent, type FollowUpEvent } from '@journeyline/journey';
import type { ProjectedEvent, Projection } from '../runtime/projection';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/**
 * Follow-ups as people work on them (`GET /api/v1/follow-ups`): one row per follow-up from its own
 * stream's events, its notes apart, and the answers later compared with the one that opened it
 * ("did the customer's next answer improve?"). The owner is not stored: it is the touchpoint's
 * owner in the catalog when asked, so a change of owner moves every follow-up at once.
 *
 * `follow_up_answers` keeps the scored NPS, CES and review answers (the kinds that open follow-ups)
 * by event id; an answer replaced through a survey link is deleted, as it no longer counts. Keeping
 * them all, not only those after a follow-up, makes the result independent of the order in which
 * answers and follow-ups reach the log, so a rebuild equals the live result.
 *
 * Every write is keyed by event id or guarded by the status, so applying a batch twice changes
 * nothing: an opening is inserted once, a resolution never reopens, a note is keyed by its event.
 */
export const FOLLOW_UP_ANSWER_KINDS: ReadonlySet<string> = new Set(['nps', 'ces', 'review']);

export class FollowUpsProjection implements Projection {
  readonly name = 'follow-ups';
  readonly eventTypes: ReadonlySet<string> = new Set(['FeedbackGiven']);
  readonly recordTypes: ReadonlySet<string> = FOLLOW_UP_EVENT_TYPES;
  readonly version = '1';
  readonly tables = ['follow_ups', 'follow_up_notes', 'follow_up_answers'] as const;
  readonly queryIndexes = [
    'CREATE INDEX IF NOT EXISTS follow_ups_by_opened ON follow_ups (opened_at, follow_up_id)',
    'CREATE INDEX IF NOT EXISTS follow_ups_by_customer ON follow_ups (customer_id, status)',
    'CREATE INDEX IF NOT EXISTS follow_up_notes_by_follow_up ON follow_up_notes (follow_up_id, noted_at)',
    'CREATE INDEX IF NOT EXISTS follow_up_answers_by_customer ON follow_up_answers (customer_id, kind, scale, occurred_at)',
  ];

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS follow_ups (
        follow_up_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        touchpoint TEXT,
        channel TEXT,
        stage TEXT,
        reason TEXT NOT NULL,
        kind TEXT NOT NULL,
        scale TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        answer_event_id TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        status TEXT NOT NULL,
        assignee TEXT,
        resolved_at TEXT,
        resolved_by TEXT,
        outcome TEXT,
        updated_at TEXT NOT NULL
      )${clusteredByKey(tx)};
      CREATE TABLE IF NOT EXISTS follow_up_notes (
        event_id TEXT PRIMARY KEY,
        follow_up_id TEXT NOT NULL,
        note TEXT NOT NULL,
        noted_by TEXT NOT NULL,
        noted_at TEXT NOT NULL
      )${clusteredByKey(tx)};
      CREATE TABLE IF NOT EXISTS follow_up_answers (
        event_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        touchpoint TEXT,
        kind TEXT NOT NULL,
        scale TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        occurred_at TEXT NOT NULL
      )${clusteredByKey(tx)};
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  async apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    for (const event of events) {
      if (event.type !== 'FeedbackGiven') continue;
      const { data } = event;
      if (data.replaces) await tx.run('DELETE FROM follow_up_answers WHERE event_id = ?', [data.replaces.eventId]);
      if (data.kind === 'comment' || !FOLLOW_UP_ANSWER_KINDS.has(data.kind) || typeof data.score !== 'number') continue;
      const customerId = customerIdOf(event.streamId);
      if (customerId === null) continue;
      await tx.run(
        `INSERT INTO follow_up_answers (event_id, customer_id, touchpoint, kind, scale, score, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id) DO NOTHING`,
        [event.eventId, customerId, data.touchpoint ?? null, data.kind, data.scale, data.score, iso(event.occurredAt)],
      );
    }
  }

  async applyRecords(records: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
    for (const record of records) {
      const event = readFollowUpEvent(record);
      if (event === null)
        throw new Error(`malformed ${record.type} ${record.eventId}: its data is not a follow-up event's (see libs/journey follow-up-events.ts)`);
      await applyFollowUpEvent(event, tx);
    }
  }
}

async function applyFollowUpEvent(event: FollowUpEvent, tx: SqlExecutor): Promise<void> {
  const at = iso(event.occurredAt);
  switch (event.type) {
    case 'FollowUpOpened': {
      const d = event.data;
      await tx.run(
        `INSERT INTO follow_ups (follow_up_id, customer_id, touchpoint, channel, stage, reason, kind, scale, score, answer_event_id, opened_at, status, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?) ON CONFLICT (follow_up_id) DO NOTHING`,
        [d.followUpId, d.customerId, d.touchpoint, d.channel, d.stage, d.reason, d.kind, d.scale, d.score, d.answerEventId, iso(d.openedAt), at],
      );
      return;
    }
    case 'FollowUpAssigned':
      await tx.run(`UPDATE follow_ups SET assignee = ?, status = 'assigned', updated_at = ? WHERE follow_up_id = ? AND status <> 'resolved'`, [
        event.data.assignee,
        at,
        event.data.followUpId,
      ]);
      return;
    case 'FollowUpNoted':
      await tx.run(`INSERT INTO follow_up_notes (event_id, follow_up_id, note, noted_by, noted_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING`, [
        event.eventId,
        event.data.followUpId,
        event.data.note,
        event.data.by,
        at,
      ]);
      return;
    case 'FollowUpResolved':
      await tx.run(
        `UPDATE follow_ups SET status = 'resolved', resolved_at = ?, resolved_by = ?, outcome = ?, updated_at = ? WHERE follow_up_id = ? AND status <> 'resolved'`,
        [at, event.data.by, event.data.outcome, at, event.data.followUpId],
      );
      return;
  }
}

/** Instants as `toISOString()` text, so that comparing them as text compares them in time. */
function iso(instant: string): string {
  return new Date(instant).toISOString();
}
