import type { SqlExecutor } from '../runtime/sql-executor';

/** Links sent and answered; `rate` is answered / sent (3 decimals), null when none was sent. */
export interface ResponseCount {
  sent: number;
  answered: number;
  rate: number | null;
}

export interface ResponseCountRow extends ResponseCount {
  key: string;
}

export interface SurveyResponseRate extends ResponseCount {
  surveyId: string;
  /** Answers that came without a link (other tools): they count nowhere in `rate`, whose denominator they lack. */
  unlinkedAnswers: number;
  byTouchpoint: ResponseCountRow[];
  byChannel: ResponseCountRow[];
}

/**
 * Response rates of the links sent in `[from, to)` (UTC ISO instants): how many of them were
 * answered, whenever the answer came; per survey, and within each by touchpoint and channel.
 */
export async function surveyResponseRates(reader: SqlExecutor, query: { from: string; to: string; surveyId?: string }): Promise<SurveyResponseRate[]> {
  const only = query.surveyId === undefined ? '' : ' AND survey_id = ?';
  const params = [query.from, query.to, ...(query.surveyId === undefined ? [] : [query.surveyId])];
  const rows = await reader.all<{ survey_id: string; touchpoint: string | null; channel: string | null; sent: number; answered: number }>(
    `SELECT survey_id, touchpoint, channel, COUNT(*) AS sent, COUNT(answered_at) AS answered FROM survey_links
     WHERE issued_at >= ? AND issued_at < ?${only} GROUP BY survey_id, touchpoint, channel`,
    params,
  );
  const unlinked = await reader.all<{ survey_id: string; answers: number }>(
    `SELECT survey_id, COUNT(*) AS answers FROM survey_unlinked_answers WHERE answered_at >= ? AND answered_at < ?${only} GROUP BY survey_id`,
    params,
  );
  const surveys = new Map<string, { total: Counter; touchpoints: Map<string, Counter>; channels: Map<string, Counter>; unlinked: number }>();
  const surveyOf = (surveyId: string) => {
    let survey = surveys.get(surveyId);
    if (!survey) surveys.set(surveyId, (survey = { total: counter(), touchpoints: new Map(), channels: new Map(), unlinked: 0 }));
    return survey;
  };
  for (const row of rows) {
    const survey = surveyOf(row.survey_id);
    const [sent, answered] = [Number(row.sent), Number(row.answered)];
    add(survey.total, sent, answered);
    add(countOf(survey.touchpoints, row.touchpoint ?? ''), sent, answered);
    add(countOf(survey.channels, row.channel ?? ''), sent, answered);
  }
  for (const row of unlinked) surveyOf(row.survey_id).unlinked = Number(row.answers);
  return [...surveys.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([surveyId, survey]) => ({
      surveyId,
      ...withRate(survey.total),
      unlinkedAnswers: survey.unlinked,
      byTouchpoint: keyed(survey.touchpoints),
      byChannel: keyed(survey.channels),
    }));
}

/** No link sent, no answer: the zeros of a survey without rows. */
export function emptyResponseRate(surveyId: string): SurveyResponseRate {
  return { surveyId, sent: 0, answered: 0, rate: null, unlinkedAnswers: 0, byTouchpoint: [], byChannel: [] };
}

interface Counter {
  sent: number;
  answered: number;
}

const counter = (): Counter => ({ sent: 0, answered: 0 });

function countOf(map: Map<string, Counter>, key: string): Counter {
  let found = map.get(key);
  if (!found) map.set(key, (found = counter()));
  return found;
}

function add(count: Counter, sent: number, answered: number): void {
  count.sent += sent;
  count.answered += answered;
}

function withRate({ sent, answered }: Counter): ResponseCount {
  return { sent, answered, rate: sent === 0 ? null : Math.round((answered / sent) * 1000) / 1000 };
}

/** Most sent first, then by key. */
function keyed(map: ReadonlyMap<string, Counter>): ResponseCountRow[] {
  return [...map.entries()]
    .map(([key, count]) => ({ key, ...withRate(count) }))
    .sort((a, b) => b.sent - a.sent || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** When a link took its first answer, as far as the read model knows (it follows the log within moments); null: not yet. */
export async function surveyLinkAnsweredAt(reader: SqlExecutor, linkId: string): Promise<string | null> {
  const row = await reader.get<{ answered_at: string | null }>('SELECT answered_at FROM survey_links WHERE link_id = ?', [linkId]);
  return row?.answered_at ?? null;
}
