import type { FeedbackGiven, ReplacedAnswer } from '@journeyline/journey/journey-events';
import type { Scale } from '@journeyline/journey/feedback-scales';
import {
  ANSWER_REPLACED_OUTCOME,
  answerReplacedEventId,
  FOLLOW_UP_PROCESS_ACTOR,
  followUpIdOf,
  type FollowUpEvent,
  type FollowUpReason,
} from '@journeyline/journey/follow-ups/follow-up-events';
import { decideFollowUpOpenings, type KnownFollowUp } from '@journeyline/journey/follow-ups/follow-up-opening';
import { decideFollowUp, foldFollowUp, type FollowUpCommand } from '@journeyline/journey/follow-ups/follow-up-decider';

/** Builders and given/when/then for follow-up specs: one customer, `c-1`, answering at `hotline`. */
export const CUSTOMER = 'c-1';

export const at = (hour: number) => new Date(Date.UTC(2026, 10, 20, hour)).toISOString();

type Kind = 'nps' | 'ces' | 'review' | 'csat';
const DEFAULT_SCALE: Record<Kind, Scale> = { nps: '0-10', ces: '1-7', review: '1-5', csat: '1-5' };

export const answer = (kind: Kind, eventId: string, score: number, when: string, extra: { scale?: Scale; replaces?: FeedbackGiven } = {}): FeedbackGiven => {
  const scale = extra.scale ?? DEFAULT_SCALE[kind];
  const replaces: ReplacedAnswer | undefined = extra.replaces && {
    eventId: extra.replaces.eventId,
    occurredAt: extra.replaces.occurredAt,
    kind: extra.replaces.data.kind,
  };
  return {
    type: 'FeedbackGiven',
    eventId,
    occurredAt: when,
    data: { kind, score, scale, touchpoint: 'hotline', channel: 'phone', stage: 'use', ...(replaces ? { replaces } : {}) },
  };
};

export const opened = (answerOf: FeedbackGiven, reason: FollowUpReason): FollowUpEvent => {
  const followUpId = followUpIdOf(answerOf.eventId);
  const data = answerOf.data as { kind: 'nps' | 'ces' | 'review'; score: number; scale: Scale };
  return {
    type: 'FollowUpOpened',
    eventId: followUpId,
    occurredAt: answerOf.occurredAt,
    data: {
      followUpId,
      customerId: CUSTOMER,
      touchpoint: 'hotline',
      channel: 'phone',
      stage: 'use',
      reason,
      answerEventId: answerOf.eventId,
      kind: data.kind,
      score: data.score,
      scale: data.scale,
      openedAt: answerOf.occurredAt,
    },
  };
};

export const closedByReplacement = (answerOf: FeedbackGiven, replacing: FeedbackGiven): FollowUpEvent => {
  const followUpId = followUpIdOf(answerOf.eventId);
  return {
    type: 'FollowUpResolved',
    eventId: answerReplacedEventId(followUpId, replacing.eventId),
    occurredAt: replacing.occurredAt,
    data: { followUpId, outcome: ANSWER_REPLACED_OUTCOME, by: FOLLOW_UP_PROCESS_ACTOR },
  };
};

/** given(answers).withFollowUps(known).thenOpens(events): what the opening process decides. */
export function givenAnswers(...answers: FeedbackGiven[]) {
  let known = new Map<string, KnownFollowUp>();
  let openSince: string | undefined;
  const run = () => decideFollowUpOpenings(CUSTOMER, answers, known, { openSince });
  const outcome = {
    /** The process opens nothing for answers given before this instant (its clock minus the maximum age). */
    openingSince(instant: string) {
      openSince = instant;
      return outcome;
    },
    /** Follow-ups the log already holds: opened (by answer), and whether resolved. */
    withFollowUps(...held: { answer: FeedbackGiven; resolved: boolean }[]) {
      known = new Map(held.map((h) => [followUpIdOf(h.answer.eventId), { resolved: h.resolved }]));
      return outcome;
    },
    then(...expected: FollowUpEvent[]) {
      expect(run()).toEqual(expected);
    },
    thenNothing() {
      expect(run()).toEqual([]);
    },
  };
  return outcome;
}

/** given(follow-up events).when(command).then(events) | thenThrows(rule): the work on one follow-up. */
export function given(...history: FollowUpEvent[]) {
  return {
    when(command: FollowUpCommand) {
      const run = () => decideFollowUp(command, foldFollowUp(history));
      return {
        then(...expected: FollowUpEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(rule: string) {
          expect(run).toThrow(expect.objectContaining({ name: 'FollowUpRuleViolation', rule }));
        },
      };
    },
  };
}
