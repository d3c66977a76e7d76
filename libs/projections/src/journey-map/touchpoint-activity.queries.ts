import { customerProfiles } from './customer-profiles.queries';
import { STAGES, type Stage } from '@journeyline/journey';
import type { SqlExecutor } from '../runtime/sql-executor';
import type { TouchpointComment } from './touchpoint-comment';

export type { TouchpointComment };

export interface TouchpointVisits {
  /** The channel it is visited on most (ties: alphabetical); null when visits name none. */
  channel: string | null;
  /** Visits per stage, over all time. */
  byStage: Partial<Record<Stage, number>>;
  /** The stage it is visited in most (ties: the earlier stage). */
  homeStage: Stage;
}

/** How often each touchpoint is visited in each stage, from the journey map's visit counts. */
export async function touchpointVisits(reader: SqlExecutor): Promise<Map<string, TouchpointVisits>> {
  const rows = await reader.all<{ touchpoint: string; stage: Stage; channel: string; visits: number }>(
    'SELECT touchpoint, stage, channel, visits FROM jm_touchpoint_stages ORDER BY touchpoint, channel, stage',
  );
  const gathered = new Map<string, { byStage: Partial<Record<Stage, number>>; byChannel: Map<string, number> }>();
  for (const row of rows) {
    const entry = gathered.get(row.touchpoint) ?? { byStage: {}, byChannel: new Map<string, number>() };
    const visits = Number(row.visits);
    entry.byStage[row.stage] = (entry.byStage[row.stage] ?? 0) + visits;
    if (row.channel !== '') entry.byChannel.set(row.channel, (entry.byChannel.get(row.channel) ?? 0) + visits);
    gathered.set(row.touchpoint, entry);
  }
  const result = new Map<string, TouchpointVisits>();
  for (const [touchpoint, { byStage, byChannel }] of gathered) {
    let channel: string | null = null;
    for (const [name, visits] of byChannel) if (channel === null || visits > byChannel.get(channel)!) channel = name;
    result.set(touchpoint, { channel, byStage, homeStage: homeStage(byStage) });
  }
  return result;
}

function homeStage(byStage: Partial<Record<Stage, number>>): Stage {
  let best: Stage = STAGES[0];
  for (const stage of STAGES) if ((byStage[stage] ?? 0) > (byStage[best] ?? 0)) best = stage;
  return best;
}

export interface CommentsRequest {
  touchpoint: string;
  /** `to` exclusive. */
  from: Date;
  to: Date;
  limit: number;
}

/**
 * The latest comments left at one touchpoint, newest first by when they were given (ties: the
 * later in the log first), with the customer who gave them: one indexed read of `jm_comments`.
 */
export async function latestComments(reader: SqlExecutor, request: CommentsRequest): Promise<TouchpointComment[]> {
  const rows = await reader.all<{
    customer_id: string;
    event_id: string;
    occurred_at: string;
    kind: string;
    score: string;
    scale: string;
    stage: string | null;
    channel: string | null;
    comment: string;
  }>(
    `SELECT customer_id, event_id, occurred_at, kind, score, scale, stage, channel, comment FROM jm_comments
      WHERE touchpoint = ? AND at >= ? AND at < ?
      ORDER BY at DESC, position DESC LIMIT ?`,
    [request.touchpoint, request.from.getTime(), request.to.getTime(), request.limit],
  );
  const people = await customerNames(reader, [...new Set(rows.map((r) => r.customer_id))]);
  return rows.map((r) => ({
    eventId: r.event_id,
    customerId: r.customer_id,
    customerName: people.get(r.customer_id)?.name ?? null,
    segment: people.get(r.customer_id)?.segment ?? null,
    occurredAt: r.occurred_at,
    kind: r.kind,
    // a comment has no score and no scale
    score: JSON.parse(r.score) as number | boolean | null,
    scale: r.scale === '' ? null : r.scale,
    stage: r.stage,
    channel: r.channel,
    comment: r.comment,
  }));
}

async function customerNames(reader: SqlExecutor, ids: string[]): Promise<Map<string, { name: string | null; segment: string | null }>> {
  const result = new Map<string, { name: string | null; segment: string | null }>();
  for (const [id, profile] of await customerProfiles(reader, ids)) result.set(id, { name: profile.name ?? null, segment: profile.segment ?? null });
  return result;
}
