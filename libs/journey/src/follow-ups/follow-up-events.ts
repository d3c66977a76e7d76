import { derivedEventId } from '../derived-ids';
import type { Scale } from '../feedback-scales';
import type { Stage } from '../stages';

/**
 * Closing the loop with a customer who answered badly. Each follow-up is a stream of its own whose
 * id is the follow-up's id, never the customer's stream: follow-ups are work done by the business,
 * not facts of the journey, so no journey reader (stages, metrics, exports, the churn rules) has
 * to learn to skip them, and assigning or noting one never contends with the customer's appends.
 *
 * A follow-up's id is derived from the answer that opened it (`follow-up <answerEventId>`, in
 * Journeyline's own id namespace: see derived-ids.ts), so replaying the log or rebuilding the
 * read models opens nothing twice: the same answer always names the same stream.
 */
export const FOLLOW_UP_REASONS = ['detractor', 'hard-effort', 'low-review'] as const;
export type FollowUpReason = (typeof FOLLOW_UP_REASONS)[number];

export const FOLLOW_UP_STATUSES = ['open', 'assigned', 'resolved'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** Who acts when nobody did: the follow-up process itself (an answer replaced by a good one closes its follow-up). */
export const FOLLOW_UP_PROCESS_ACTOR = 'journeyline';
/** The outcome of a follow-up closed because the customer replaced their answer with one that is not bad. */
export const ANSWER_REPLACED_OUTCOME = 'answer replaced';

interface Envelope<T extends string, D> {
  type: T;
  eventId: string;
  occurredAt: string;
  data: D;
}

export type FollowUpOpened = Envelope<
  'FollowUpOpened',
  {
    followUpId: string;
    customerId: string;
    touchpoint: string | null;
    channel: string | null;
    stage: Stage | null;
    reason: FollowUpReason;
    answerEventId: string;
    /** The answer as given: its kind and scale say which later answers it can be compared with. */
    kind: 'nps' | 'ces' | 'review';
    score: number;
    scale: Scale;
    /** When the answer was given. */
    openedAt: string;
  }
>;
export type FollowUpAssigned = Envelope<'FollowUpAssigned', { followUpId: string; assignee: string; by: string }>;
/** `note` is personal data (sealed with the customer's key, as comments are). */
export type FollowUpNoted = Envelope<'FollowUpNoted', { followUpId: string; note: string; by: string }>;
/** `outcome` says what was done; written by a person it is personal data too (sealed). */
export type FollowUpResolved = Envelope<'FollowUpResolved', { followUpId: string; outcome: string; by: string }>;

export type FollowUpEvent = FollowUpOpened | FollowUpAssigned | FollowUpNoted | FollowUpResolved;
export type FollowUpEventType = FollowUpEvent['type'];

export const FOLLOW_UP_EVENT_TYPES: ReadonlySet<string> = new Set<FollowUpEventType>([
  'FollowUpOpened',
  'FollowUpAssigned',
  'FollowUpNoted',
  'FollowUpResolved',
]);

/** The follow-up an answer opens (also the id of its stream and of its FollowUpOpened event). */
export function followUpIdOf(answerEventId: string): string {
  return derivedEventId('follow-up', answerEventId);
}

/** The FollowUpResolved of a follow-up closed because the answer `replacingEventId` replaced its answer. */
export function answerReplacedEventId(followUpId: string, replacingEventId: string): string {
  return derivedEventId('follow-up', followUpId, 'answer-replaced', replacingEventId);
}

/**
 * A stored follow-up event read by own properties (a tolerant reader): null when it is not one of
 * ours or is malformed, so a reader can set it aside with the reason instead of failing later.
 */
export function readFollowUpEvent(stored: { type: string; eventId: string; occurredAt: string; data: unknown }): FollowUpEvent | null {
  if (!FOLLOW_UP_EVENT_TYPES.has(stored.type)) return null;
  const data = stored.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const raw = data as Record<string, unknown>;
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined);
  const text = (key: string) => (typeof own(key) === 'string' && own(key) !== '' ? (own(key) as string) : null);
  const orNull = (key: string) => (typeof own(key) === 'string' ? (own(key) as string) : null);
  const followUpId = text('followUpId');
  if (followUpId === null) return null;
  const base = { eventId: stored.eventId, occurredAt: stored.occurredAt };
  switch (stored.type) {
    case 'FollowUpOpened': {
      const [customerId, reason, answerEventId, kind, scale, openedAt] = ['customerId', 'reason', 'answerEventId', 'kind', 'scale', 'openedAt'].map(text);
      const score = own('score');
      if (!customerId || !answerEventId || !kind || !scale || !openedAt || typeof score !== 'number') return null;
      if (!(FOLLOW_UP_REASONS as readonly string[]).includes(reason ?? '')) return null;
      return {
        type: 'FollowUpOpened',
        ...base,
        data: {
          followUpId,
          customerId,
          touchpoint: orNull('touchpoint'),
          channel: orNull('channel'),
          stage: orNull('stage') as Stage | null,
          reason: reason as FollowUpReason,
          answerEventId,
          kind: kind as FollowUpOpened['data']['kind'],
          score,
          scale: scale as Scale,
          openedAt,
        },
      };
    }
    case 'FollowUpAssigned': {
      const [assignee, by] = ['assignee', 'by'].map(text);
      return assignee && by ? { type: 'FollowUpAssigned', ...base, data: { followUpId, assignee, by } } : null;
    }
    case 'FollowUpNoted': {
      const [note, by] = ['note', 'by'].map(text);
      return note && by ? { type: 'FollowUpNoted', ...base, data: { followUpId, note, by } } : null;
    }
    default: {
      const [outcome, by] = ['outcome', 'by'].map(text);
      return outcome && by ? { type: 'FollowUpResolved', ...base, data: { followUpId, outcome, by } } : null;
    }
  }
}
