import type { StoredEvent } from '@journeyline/event-store';
import { readSurveyLinkIssued, SURVEY_LINK_ISSUED } from '@journeyline/surveys';
import { insertRows } from '../runtime/bulk-write';
import type { ProjectedEvent, Projection } from '../runtime/projection';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/**
 * Survey links sent and answered, for response rates (`GET /api/v1/surveys/:id/response-rate`):
 * one row per link from its `SurveyLinkIssued` record (survey, touchpoint, channel, when sent),
 * marked answered by the first `feedback.given` that names the link (`data.survey.linkId`; a
 * replacing answer changes nothing here: a link is answered once). Answers that came without a
 * link (the JSON endpoint for other tools) cannot be set against a number sent: they are counted
 * apart, per survey, in `survey_unlinked_answers`. Every write is an upsert that keeps the earliest
 * answer, so applying a batch twice, or the answer before its link, gives the same rows.
 */
export class SurveyResponsesProjection implements Projection {
  readonly name = 'survey-responses';
  readonly eventTypes: ReadonlySet<string> = new Set(['FeedbackGiven']);
  readonly recordTypes: ReadonlySet<string> = new Set([SURVEY_LINK_ISSUED]);
  readonly version = '1';
  readonly tables = ['survey_links', 'survey_unlinked_answers'] as const;
  readonly queryIndexes = [
    'CREATE INDEX IF NOT EXISTS survey_links_by_issued ON survey_links (issued_at, survey_id)',
    'CREATE INDEX IF NOT EXISTS survey_unlinked_answers_by_time ON survey_unlinked_answers (answered_at, survey_id)',
  ];

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS survey_links (
        link_id TEXT PRIMARY KEY,
        survey_id TEXT NOT NULL,
        touchpoint TEXT,
        channel TEXT,
        issued_at TEXT,
        answered_at TEXT
      )${clusteredByKey(tx)};
      CREATE TABLE IF NOT EXISTS survey_unlinked_answers (
        event_id TEXT PRIMARY KEY,
        survey_id TEXT NOT NULL,
        touchpoint TEXT,
        channel TEXT,
        answered_at TEXT NOT NULL
      )${clusteredByKey(tx)};
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  async apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    const links = new Map<string, LinkRow>();
    const unlinked: unknown[][] = [];
    const seen = new Set<string>();
    for (const event of events) {
      if (event.type !== 'FeedbackGiven' || !event.data.survey) continue;
      const { surveyId, linkId } = event.data.survey;
      const answeredAt = new Date(event.occurredAt).toISOString();
      if (linkId === undefined) {
        if (seen.has(event.eventId)) continue;
        seen.add(event.eventId);
        unlinked.push([event.eventId, surveyId, event.data.touchpoint ?? null, event.data.channel ?? null, answeredAt]);
        continue;
      }
      merge(links, {
        link_id: linkId,
        survey_id: surveyId,
        touchpoint: event.data.touchpoint ?? null,
        channel: event.data.channel ?? null,
        issued_at: null,
        answered_at: answeredAt,
      });
    }
    await writeLinks(tx, links);
    await insertRows(
      tx,
      'INSERT INTO survey_unlinked_answers (event_id, survey_id, touchpoint, channel, answered_at)',
      unlinked,
      'ON CONFLICT (event_id) DO NOTHING',
    );
  }

  async applyRecords(records: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
    const links = new Map<string, LinkRow>();
    for (const record of records) {
      const issued = readSurveyLinkIssued(record.data);
      if (issued === null)
        throw new Error(
          `malformed ${SURVEY_LINK_ISSUED} ${record.eventId}: data must be {linkId, surveyId, version, customerId, touchpoint, channel, issuedAt}`,
        );
      merge(links, {
        link_id: issued.linkId,
        survey_id: issued.surveyId,
        touchpoint: issued.touchpoint,
        channel: issued.channel,
        issued_at: issued.issuedAt,
        answered_at: null,
      });
    }
    await writeLinks(tx, links);
  }
}

interface LinkRow {
  link_id: string;
  survey_id: string;
  touchpoint: string | null;
  channel: string | null;
  issued_at: string | null;
  answered_at: string | null;
}

/** One row per link in a statement: the issue's fields win, the earliest answer stays. */
function merge(rows: Map<string, LinkRow>, row: LinkRow): void {
  const held = rows.get(row.link_id);
  if (!held) return void rows.set(row.link_id, row);
  if (row.issued_at !== null) Object.assign(held, { survey_id: row.survey_id, touchpoint: row.touchpoint, channel: row.channel, issued_at: row.issued_at });
  if (row.answered_at !== null && (held.answered_at === null || row.answered_at < held.answered_at)) held.answered_at = row.answered_at;
}

async function writeLinks(tx: SqlExecutor, rows: ReadonlyMap<string, LinkRow>): Promise<void> {
  await insertRows(
    tx,
    'INSERT INTO survey_links (link_id, survey_id, touchpoint, channel, issued_at, answered_at)',
    [...rows.values()].map((r) => [r.link_id, r.survey_id, r.touchpoint, r.channel, r.issued_at, r.answered_at]),
    `ON CONFLICT (link_id) DO UPDATE SET
       survey_id = CASE WHEN excluded.issued_at IS NOT NULL THEN excluded.survey_id ELSE survey_links.survey_id END,
       touchpoint = CASE WHEN excluded.issued_at IS NOT NULL THEN excluded.touchpoint ELSE survey_links.touchpoint END,
       channel = CASE WHEN excluded.issued_at IS NOT NULL THEN excluded.channel ELSE survey_links.channel END,
       issued_at = COALESCE(excluded.issued_at, survey_links.issued_at),
       answered_at = CASE WHEN survey_links.answered_at IS NULL OR excluded.answered_at < survey_links.answered_at
                          THEN COALESCE(excluded.answered_at, survey_links.answered_at) ELSE survey_links.answered_at END`,
  );
}
