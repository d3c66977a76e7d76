import { canonicalJson } from './canonical-json';
import { DuplicateEventIdError, WrongExpectedRevisionError } from './event-store.errors';
import type { AppendRequest, AppendResult, ExpectedRevision } from './event-store.port';

/**
 * The rules of `EventStore.append` (idempotency, optimistic concurrency) as a pure function, so
 * every adapter applies them identically: the adapter looks up what is stored, asks for a plan,
 * writes `plan.writes` in order inside its transaction and turns the positions into the result.
 */

/** What is stored for one event id, as far as deciding "same event or not" needs. */
export interface StoredBody {
  eventId: string;
  streamId: string;
  type: string;
  /** Canonical JSON (see canonical-json.ts). */
  data: string;
  occurredAt: string;
  position: number;
  revision: number;
}

export interface PlannedWrite {
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  /** Canonical JSON. */
  data: string;
  occurredAt: string;
}

type Outcome = { kind: 'written'; write: number; duplicate: boolean } | { kind: 'stored'; event: StoredBody };

export interface AppendPlan {
  /** Events to store, in the order their positions must follow. */
  writes: PlannedWrite[];
  /** One per requested event, in request order. */
  outcomes: Outcome[];
  /** Revision of each requested stream's last event once `writes` are stored. */
  streams: Record<string, number>;
}

export function requestedEventIds(requests: AppendRequest[]): string[] {
  return [...new Set(requests.flatMap((request) => request.events.map((event) => event.eventId)))];
}

export function requestedStreamIds(requests: AppendRequest[]): string[] {
  return [...new Set(requests.map((request) => request.streamId))];
}

/**
 * @param stored the stored events among `requestedEventIds(requests)`
 * @param revisions the current revision (-1 when absent) of every `requestedStreamIds(requests)`
 * @throws DuplicateEventIdError in preference to WrongExpectedRevisionError, even when the stale
 *   request comes first in the call: a reused event id is a producer bug that a caller retrying
 *   on a revision conflict would only hit again.
 * @throws TypeError for a malformed request or data JSON cannot carry.
 */
export function planAppend(requests: AppendRequest[], stored: ReadonlyMap<string, StoredBody>, revisions: ReadonlyMap<string, number>): AppendPlan {
  const bodies = requests.map((request) => {
    assertRequestShape(request);
    return request.events.map((event) => ({
      eventId: event.eventId,
      streamId: request.streamId,
      type: event.type,
      data: canonicalJson(event.data),
      occurredAt: event.occurredAt,
    }));
  });

  // First pass: classify every event before any revision is checked (see @throws). An event is
  // new when its id is neither stored nor seen earlier in this call.
  const firstInCall = new Map<string, Omit<PlannedWrite, 'revision'>>();
  const isNew = bodies.map((events) =>
    events.map((body) => {
      const known = stored.get(body.eventId) ?? firstInCall.get(body.eventId);
      if (known === undefined) {
        firstInCall.set(body.eventId, body);
        return true;
      }
      if (!sameBody(known, body)) throw new DuplicateEventIdError(body.eventId);
      return false;
    }),
  );

  // Second pass: requests apply in order, so a later request sees the revisions an earlier one made.
  const running = new Map(revisions);
  const writeOf = new Map<string, number>();
  const writes: PlannedWrite[] = [];
  const outcomes: Outcome[] = [];
  requests.forEach((request, r) => {
    const actual = currentRevision(running, request.streamId);
    if (isNew[r].some(Boolean) && !matches(request.expectedRevision, actual)) {
      throw new WrongExpectedRevisionError(request.streamId, request.expectedRevision, actual);
    }
    let revision = actual;
    bodies[r].forEach((body, i) => {
      const storedBody = stored.get(body.eventId);
      if (storedBody !== undefined) {
        outcomes.push({ kind: 'stored', event: storedBody });
      } else if (isNew[r][i]) {
        revision += 1;
        writeOf.set(body.eventId, writes.length);
        outcomes.push({ kind: 'written', write: writes.length, duplicate: false });
        writes.push({ ...body, revision });
      } else {
        outcomes.push({ kind: 'written', write: writeOf.get(body.eventId)!, duplicate: true });
      }
    });
    running.set(request.streamId, revision);
  });

  const streams: Record<string, number> = {};
  for (const request of requests) streams[request.streamId] = currentRevision(running, request.streamId);
  return { writes, outcomes, streams };
}

/** @param positions the position each of `plan.writes` was stored at */
export function appendResult(plan: AppendPlan, positions: readonly number[]): AppendResult {
  const events = plan.outcomes.map((outcome) => {
    if (outcome.kind === 'stored') {
      const { eventId, streamId, position, revision } = outcome.event;
      return { eventId, streamId, position, revision, duplicate: true };
    }
    const { eventId, streamId, revision } = plan.writes[outcome.write];
    return { eventId, streamId, position: positions[outcome.write], revision, duplicate: outcome.duplicate };
  });
  return { events, streams: plan.streams };
}

function sameBody(a: Omit<PlannedWrite, 'revision'>, b: Omit<PlannedWrite, 'revision'>): boolean {
  return a.streamId === b.streamId && a.type === b.type && a.data === b.data && a.occurredAt === b.occurredAt;
}

function currentRevision(revisions: ReadonlyMap<string, number>, streamId: string): number {
  const revision = revisions.get(streamId);
  if (revision === undefined) throw new Error(`planAppend: no current revision given for stream ${streamId}`);
  return revision;
}

function matches(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === -1;
  return expected === actual;
}

/** Callers are typed, but values arrive from HTTP, Kafka and files; a bad one must not reach SQL. */
function assertRequestShape(request: AppendRequest): void {
  if (typeof request.streamId !== 'string' || request.streamId === '') {
    throw new TypeError('append: streamId must be a non-empty string');
  }
  const expected = request.expectedRevision;
  if (expected !== 'any' && expected !== 'no_stream' && !(Number.isSafeInteger(expected) && expected >= -1)) {
    throw new TypeError(`append: invalid expectedRevision ${String(expected)} for stream ${request.streamId}`);
  }
  for (const event of request.events) {
    for (const field of ['eventId', 'type', 'occurredAt'] as const) {
      if (typeof event[field] !== 'string' || event[field] === '') {
        throw new TypeError(`append: ${field} must be a non-empty string (stream ${request.streamId})`);
      }
    }
    if (event.data === null || typeof event.data !== 'object' || Array.isArray(event.data)) {
      throw new TypeError(`append: data of event ${event.eventId} must be a JSON object`);
    }
  }
}
