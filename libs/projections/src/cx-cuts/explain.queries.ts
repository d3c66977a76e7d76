import { DateTime } from 'luxon';
import {
  explainChange,
  METRIC_DEFINITIONS,
  METRIC_SUM_FIELDS,
  SCALES_BY_KIND,
  type ExplainGroup,
  type Metric,
  type MetricChange,
  type MetricSums,
  type ScoreClasses,
} from '@journeyline/journey';
import type { DayWindow } from '../cx-metrics/day-window';
import type { SqlExecutor } from '../runtime/sql-executor';
import type { ChangeAnswer, ExplainGrouping } from './change-answer';
import { sumsReader } from './cx-cuts.queries';
import { PLACE_DIMENSIONS, type PlaceDimension } from './metric-cut';

export interface ExplainRequest {
  metric: Metric;
  /** Filters on the answers' place (touchpoint, channel, stage). */
  place: Partial<Record<PlaceDimension, string>>;
  by: ExplainGrouping;
  window: DayWindow;
  /** The window of equal length just before `window`. */
  previous: DayWindow;
  /** CSAT and CES: the scale to explain (else the one with the most answers in the two windows). */
  scale?: string;
  /** The metric parameters' classes (default: the built-in ones the buckets were folded with). */
  classes?: ScoreClasses;
}

export interface ExplainedChange extends MetricChange {
  /** The scale explained (CSAT, CES); null for the metrics with one scale. */
  scale: string | null;
  /** CSAT, CES: every scale answered in either window, most answers first. */
  scales: string[];
}

const ZERO = (): MetricSums => Object.fromEntries(METRIC_SUM_FIELDS.map((f) => [f, 0])) as unknown as MetricSums;

/**
 * A metric's change between two windows split into mix and rate (libs/journey explain.ts), from
 * the cut day buckets only: one grouped read per window. Every answer of the filter is in exactly
 * one group, so the groups add up to the metric: answers that name no channel (or stage) are the
 * group `''`; by segment, the customers with no known segment when they answered are the group
 * `''` (all answers less those under some segment, as the buckets keep every answer once under
 * no portrait field and once under each known one).
 */
export async function explainMetricChange(reader: SqlExecutor, request: ExplainRequest): Promise<ExplainedChange> {
  const [current, previous] = await Promise.all([groupSums(reader, request, request.window), groupSums(reader, request, request.previous)]);
  const definition = METRIC_DEFINITIONS[request.metric];
  const answered = new Map<string, number>();
  for (const byScale of [current, previous]) for (const [scale, groups] of byScale) answered.set(scale, (answered.get(scale) ?? 0) + totalN(groups));
  const scales = [...answered.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([scale]) => scale);
  // one scale at a time for CSAT and CES (answers of two scales are never averaged together); the rest have one
  const scale = definition.perScale ? (request.scale ?? scales[0] ?? SCALES_BY_KIND[request.metric as 'csat' | 'ces'][0]) : null;
  const pick = (byScale: Map<string, Map<string, MetricSums>>) =>
    scale === null ? mergeScales(byScale) : (byScale.get(scale) ?? new Map<string, MetricSums>());
  const now = pick(current);
  const before = pick(previous);
  const groups: ExplainGroup[] = [...new Set([...now.keys(), ...before.keys()])].map((key) => ({
    key,
    current: now.get(key) ?? ZERO(),
    previous: before.get(key) ?? ZERO(),
  }));
  return { scale, scales: definition.perScale ? scales : [], ...explainChange(request.metric, scale ?? '', groups) };
}

/** Sums per scale and group over one window. */
async function groupSums(reader: SqlExecutor, request: ExplainRequest, window: DayWindow): Promise<Map<string, Map<string, MetricSums>>> {
  const filters = placeFilters(request.place);
  const params = [request.metric, window.fromDay, window.toDay, ...filters.params];
  const bySegment = request.by === 'segment';
  // under other classes than the folded ones, each group's sums come from its score counts (linear in them, so the segment subtraction below holds)
  const read = sumsReader(request.metric, request.classes);
  const rows = await reader.all<Record<string, unknown>>(
    bySegment
      ? `SELECT pfield, pvalue AS grp, scale, ${read.columns} FROM cut_buckets
          WHERE metric = ? AND pfield IN ('', 'segment') AND day >= ? AND day < ?${filters.sql} GROUP BY pfield, pvalue, scale`
      : `SELECT ${request.by} AS grp, scale, ${read.columns} FROM cut_buckets
          WHERE metric = ? AND pfield = '' AND pvalue = '' AND day >= ? AND day < ?${filters.sql} GROUP BY ${request.by}, scale`,
    params,
  );
  const result = new Map<string, Map<string, MetricSums>>();
  const groupsOf = (scale: string) => result.get(scale) ?? result.set(scale, new Map()).get(scale)!;
  // by segment: every answer under pfield '' (the total), and again under its segment when one was known
  const totals = new Map<string, MetricSums>();
  for (const row of rows) {
    const scale = String(row.scale);
    const sums = read.sums(row, scale);
    if (bySegment && row.pfield === '') {
      totals.set(scale, sums);
      continue;
    }
    add(groupsOf(scale), String(row.grp), sums);
  }
  for (const [scale, total] of totals) {
    const groups = groupsOf(scale);
    const unknown = { ...total };
    for (const sums of groups.values()) for (const field of METRIC_SUM_FIELDS) unknown[field] -= sums[field];
    if (unknown.n > 0 || unknown.opened > 0) add(groups, '', unknown);
  }
  return result;
}

function placeFilters(place: ExplainRequest['place']): { sql: string; params: unknown[] } {
  let sql = '';
  const params: unknown[] = [];
  for (const dimension of PLACE_DIMENSIONS) {
    if (place[dimension] === undefined) continue;
    sql += ` AND ${dimension} = ?`;
    params.push(place[dimension]);
  }
  return { sql, params };
}

function add(groups: Map<string, MetricSums>, key: string, sums: MetricSums): void {
  const known = groups.get(key);
  if (!known) groups.set(key, { ...sums });
  else for (const field of METRIC_SUM_FIELDS) known[field] += sums[field];
}

function totalN(groups: Map<string, MetricSums>): number {
  let n = 0;
  for (const sums of groups.values()) n += sums.n;
  return n;
}

function mergeScales(byScale: Map<string, Map<string, MetricSums>>): Map<string, MetricSums> {
  const merged = new Map<string, MetricSums>();
  for (const groups of byScale.values()) for (const [key, sums] of groups) add(merged, key, sums);
  return merged;
}

export interface ChangeAnswersRequest {
  metric: Metric;
  /** The scale explained (CSAT, CES), else null. */
  scale: string | null;
  place: ExplainRequest['place'];
  by: ExplainGrouping;
  /** The group whose answers are wanted ('' for answers naming none / customers of no known segment). */
  key: string;
  order: 'worst' | 'best';
  window: DayWindow;
  /** The zone of the day buckets, where the window's days begin. */
  bucketTimeZone: string;
  limit: number;
}

/** At most this many touchpoints are searched for answers (the most answered in the group). */
const TOUCHPOINTS_SEARCHED = 1000;

/**
 * The current window's worst (or best) answers of one group, among those that came with a comment
 * (the journey map's `jm_comments`, read through its touchpoint index: the group's touchpoints
 * come from the cut buckets). TTR has no answers (tickets are not scored). By segment, an answer
 * belongs to the customer's latest known segment (`cut_portraits`), which may differ from the one
 * the buckets counted it under if the segment changed since.
 */
export async function answersBehindChange(reader: SqlExecutor, request: ChangeAnswersRequest): Promise<ChangeAnswer[]> {
  const { metric, window } = request;
  if (metric === 'ttr') return [];
  const touchpoints = request.place.touchpoint !== undefined ? [request.place.touchpoint] : await groupTouchpoints(reader, request);
  if (touchpoints.length === 0) return [];
  const from = DateTime.fromISO(window.fromDay, { zone: request.bucketTimeZone }).toMillis();
  const to = DateTime.fromISO(window.toDay, { zone: request.bucketTimeZone }).toMillis();
  const clauses = [`c.touchpoint IN (${touchpoints.map(() => '?').join(', ')})`, 'c.at >= ?', 'c.at < ?', 'c.kind = ?'];
  const params: unknown[] = [...touchpoints, from, to, metric];
  if (request.scale !== null) {
    clauses.push('c.scale = ?');
    params.push(request.scale);
  }
  for (const dimension of ['channel', 'stage'] as const) {
    if (request.place[dimension] === undefined) continue;
    clauses.push(`c.${dimension} = ?`);
    params.push(request.place[dimension]);
  }
  let join = '';
  if (request.by === 'segment') {
    join = 'LEFT JOIN cut_portraits cp ON cp.customer_id = c.customer_id';
    if (request.key === '') clauses.push('cp.segment IS NULL');
    else {
      clauses.push('cp.segment = ?');
      params.push(request.key);
    }
  } else if (request.key === '') clauses.push(`(c.${request.by} IS NULL OR c.${request.by} = '')`);
  else {
    clauses.push(`c.${request.by} = ?`);
    params.push(request.key);
  }
  const direction = request.order === 'worst' ? 'ASC' : 'DESC';
  const rows = await reader.all<{
    customer_id: string;
    event_id: string;
    occurred_at: string;
    kind: string;
    score: string;
    scale: string;
    touchpoint: string;
    stage: string | null;
    channel: string | null;
    comment: string;
  }>(
    `SELECT c.customer_id, c.event_id, c.occurred_at, c.kind, c.score, c.scale, c.touchpoint, c.stage, c.channel, c.comment
       FROM jm_comments c ${join}
      WHERE ${clauses.join(' AND ')}
      ORDER BY CASE c.score WHEN 'false' THEN 0 WHEN 'true' THEN 1 ELSE CAST(c.score AS DOUBLE PRECISION) END ${direction}, c.at DESC, c.position DESC
      LIMIT ?`,
    [...params, request.limit],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    customerId: r.customer_id,
    occurredAt: r.occurred_at,
    kind: r.kind,
    score: JSON.parse(r.score) as number | boolean,
    scale: r.scale,
    touchpoint: r.touchpoint,
    channel: r.channel,
    stage: r.stage,
    comment: r.comment,
  }));
}

/** The touchpoints a group's answers were given at in the window, most answered first. */
async function groupTouchpoints(reader: SqlExecutor, request: ChangeAnswersRequest): Promise<string[]> {
  const filters = placeFilters(request.place);
  const bySegment = request.by === 'segment';
  // customers of no known segment: any touchpoint of the filter (the jm_comments read narrows them)
  const portrait = bySegment && request.key !== '' ? ['segment', request.key] : ['', ''];
  const group = !bySegment ? ` AND ${request.by} = ?` : '';
  const params = [request.metric, ...portrait, request.window.fromDay, request.window.toDay, ...filters.params, ...(group ? [request.key] : [])];
  const rows = await reader.all<{ touchpoint: string }>(
    `SELECT touchpoint FROM cut_buckets
      WHERE metric = ? AND pfield = ? AND pvalue = ? AND day >= ? AND day < ?${filters.sql}${group} AND touchpoint <> ''
      GROUP BY touchpoint ORDER BY SUM(n) DESC, touchpoint LIMIT ${TOUCHPOINTS_SEARCHED}`,
    params,
  );
  return rows.map((r) => r.touchpoint);
}
