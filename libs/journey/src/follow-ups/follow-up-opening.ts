import type { FeedbackGiven } from '../journey-events';
import {
  ANSWER_REPLACED_OUTCOME,
  answerReplacedEventId,
  FOLLOW_UP_PROCESS_ACTOR,
  followUpIdOf,
  type FollowUpEvent,
  type FollowUpOpened,
  type FollowUpResolved,
} from './follow-up-events';
import { followUpReasonOf } from './follow-up-reasons';

/** What the opening process knows of a follow-up already in the log. */
export interface KnownFollowUp {
  resolved: boolean;
}

/** How old an answer may be (by when it was given) and still open a follow-up. */
export interface FollowUpOpeningOptions {
  /**
   * Answers given before this instant open nothing: a complaint of months ago (a first start on an
   * old log, an import of history) is in the metrics, but nobody can call the customer back about
   * it. The process passes its clock minus JOURNEYLINE_FOLLOW_UP_MAX_AGE_DAYS.
   */
  openSince?: string;
}

/**
 * decideFollowUpOpenings(customer, answers, known) → the FollowUpOpened / FollowUpResolved events
 * that bring the follow-ups in line with the customer's answers (their FeedbackGiven events, in
 * stream order); `known` holds the follow-ups the log already has, by id.
 *
 * - A bad answer (see follow-up-reasons.ts) opens a follow-up whose id is derived from it, unless
 *   it replaces an answer a follow-up already covers: a survey answer revised within the window is
 *   the same answer, and the follow-up it opened stands (whatever its state).
 * - An answer that is not bad and replaces a covered answer closes that follow-up as
 *   'answer replaced' when it is still open: the complaint was withdrawn.
 *
 * Only the answers decide what is opened, never who resolved what, and every id is derived, so
 * deciding again (a replay, two processes at once) adds nothing.
 */
export function decideFollowUpOpenings(
  customerId: string,
  answers: readonly FeedbackGiven[],
  known: ReadonlyMap<string, KnownFollowUp>,
  options: FollowUpOpeningOptions = {},
): FollowUpEvent[] {
  const openSince = options.openSince === undefined ? -Infinity : Date.parse(options.openSince);
  const decided: FollowUpEvent[] = [];
  const resolved = new Map<string, boolean>([...known].map(([id, k]) => [id, k.resolved]));
  const openedAt = new Map<string, string>();
  /** The follow-up covering each answer, by the answer's event id. */
  const cover = new Map<string, string>();
  for (const answer of answers) {
    const replaced = answer.data.replaces?.eventId;
    const inherited = replaced === undefined ? undefined : cover.get(replaced);
    const reason = followUpReasonOf(answer.data);
    if (reason !== null && answer.data.kind !== 'comment' && typeof answer.data.score === 'number') {
      if (inherited !== undefined) {
        cover.set(answer.eventId, inherited);
        continue;
      }
      const followUpId = followUpIdOf(answer.eventId);
      if (!resolved.has(followUpId) && Date.parse(answer.occurredAt) < openSince) continue;
      cover.set(answer.eventId, followUpId);
      openedAt.set(followUpId, answer.occurredAt);
      if (resolved.has(followUpId)) continue;
      resolved.set(followUpId, false);
      decided.push(opened(customerId, answer, followUpId, reason, answer.data.score));
    } else if (inherited !== undefined && resolved.get(inherited) === false) {
      resolved.set(inherited, true);
      decided.push(replacedBy(inherited, answer, openedAt.get(inherited)));
    }
  }
  return decided;
}

function opened(customerId: string, answer: FeedbackGiven, followUpId: string, reason: FollowUpOpened['data']['reason'], score: number): FollowUpOpened {
  const { touchpoint, channel, stage, kind, scale } = answer.data as FeedbackGiven['data'] & { scale: FollowUpOpened['data']['scale'] };
  return {
    type: 'FollowUpOpened',
    eventId: followUpId,
    occurredAt: answer.occurredAt,
    data: {
      followUpId,
      customerId,
      touchpoint: touchpoint ?? null,
      channel: channel ?? null,
      stage: stage ?? null,
      reason,
      answerEventId: answer.eventId,
      kind: kind as FollowUpOpened['data']['kind'],
      score,
      scale,
      openedAt: answer.occurredAt,
    },
  };
}

/** Closed when the replacing answer was given (never before the follow-up opened). */
function replacedBy(followUpId: string, answer: FeedbackGiven, openedAt: string | undefined): FollowUpResolved {
  const at = openedAt !== undefined && Date.parse(openedAt) > Date.parse(answer.occurredAt) ? openedAt : answer.occurredAt;
  return {
    type: 'FollowUpResolved',
    eventId: answerReplacedEventId(followUpId, answer.eventId),
    occurredAt: at,
    data: { followUpId, outcome: ANSWER_REPLACED_OUTCOME, by: FOLLOW_UP_PROCESS_ACTOR },
  };
}
