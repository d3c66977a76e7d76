import type { StoredEvent } from '@journeyline/event-store';
import type { SqlExecutor } from './sql-executor';

/**
 * Events a follower (a projection, the churn-risk process, the outbound publisher) could not
 * handle: set aside with the error so that one bad event never stops the follower for every
 * customer. Each row names the follower (`component`), the event and why. `/health` reports
 * them (degraded), the logs say so once, and `journeyline retry-parked` (or a rebuild) tries them
 * again after a fix.
 */
export const PARKED_EVENTS = 'parked_events';

export interface ParkedEvent {
  component: string;
  position: number;
  eventId: string;
  streamId: string;
  type: string;
  error: string;
  parkedAt: string;
}

export interface ParkedSummary {
  component: string;
  count: number;
  /** The most recent few, newest first. */
  latest: ParkedEvent[];
}

/** Longest error text kept per row: a stack trace belongs in the log, the reason here. */
const MAX_ERROR = 1000;

export async function createParkedTable(tx: SqlExecutor): Promise<void> {
  await tx.exec(`CREATE TABLE IF NOT EXISTS ${PARKED_EVENTS} (
    component TEXT NOT NULL,
    position BIGINT NOT NULL,
    event_id TEXT NOT NULL,
    stream_id TEXT NOT NULL,
    type TEXT NOT NULL,
    error TEXT NOT NULL,
    parked_at TEXT NOT NULL,
    PRIMARY KEY (component, position)
  )`);
}

export function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR ? `${text.slice(0, MAX_ERROR)}…` : text;
}

/** Sets an event aside for a component; parking the same event again keeps the first reason. */
export async function parkEvent(
  tx: SqlExecutor,
  component: string,
  event: Pick<StoredEvent, 'position' | 'eventId' | 'streamId' | 'type'>,
  error: unknown,
  now = new Date(),
): Promise<void> {
  await tx.run(
    `INSERT INTO ${PARKED_EVENTS} (component, position, event_id, stream_id, type, error, parked_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (component, position) DO NOTHING`,
    [component, event.position, String(event.eventId), String(event.streamId), String(event.type), errorText(error), now.toISOString()],
  );
}

export async function clearParked(tx: SqlExecutor, components: readonly string[]): Promise<void> {
  for (const component of components) await tx.run(`DELETE FROM ${PARKED_EVENTS} WHERE component = ?`, [component]);
}

export async function parkedEvents(db: SqlExecutor, component: string): Promise<ParkedEvent[]> {
  const rows = await db.all<ParkedRow>(`SELECT * FROM ${PARKED_EVENTS} WHERE component = ? ORDER BY position`, [component]);
  return rows.map(toParked);
}

/** The projections among `projections` that have events parked (in `summary`): what a retry rebuilds. */
export function projectionsWithParked(summary: readonly ParkedSummary[], projections: readonly { name: string }[]): string[] {
  return summary.map((s) => s.component).filter((component) => projections.some((p) => p.name === component));
}

/** Per component: how many are parked and the latest few. Empty when nothing is parked (or the table is not there yet). */
export async function parkedSummary(db: SqlExecutor, latest = 5): Promise<ParkedSummary[]> {
  let counts: { component: string; count: number }[];
  try {
    counts = await db.all<{ component: string; count: number }>(
      `SELECT component, COUNT(*) AS count FROM ${PARKED_EVENTS} GROUP BY component ORDER BY component`,
    );
  } catch (error) {
    if (/no such table|does not exist/.test(String((error as Error)?.message))) return [];
    throw error;
  }
  const summaries: ParkedSummary[] = [];
  for (const { component, count } of counts) {
    const rows = await db.all<ParkedRow>(`SELECT * FROM ${PARKED_EVENTS} WHERE component = ? ORDER BY position DESC LIMIT ?`, [component, latest]);
    summaries.push({ component, count: Number(count), latest: rows.map(toParked) });
  }
  return summaries;
}

interface ParkedRow {
  component: string;
  position: number;
  event_id: string;
  stream_id: string;
  type: string;
  error: string;
  parked_at: string;
}

function toParked(row: ParkedRow): ParkedEvent {
  return {
    component: row.component,
    position: Number(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    type: row.type,
    error: row.error,
    parkedAt: row.parked_at,
  };
}

/** Every event of one stream that some component set aside. */
export async function parkedEventsOfStream(db: SqlExecutor, streamId: string): Promise<ParkedEvent[]> {
  try {
    const rows = await db.all<ParkedRow>(`SELECT * FROM ${PARKED_EVENTS} WHERE stream_id = ? ORDER BY position, component`, [streamId]);
    return rows.map(toParked);
  } catch {
    return [];
  }
}
