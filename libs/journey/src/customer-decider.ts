import type { CustomerCommand, RecordFeedback, RecordPurchase, RecordTouchpointVisit, ResolveTicket } from './customer-commands';
import type { CustomerState } from './customer-state';
import { isScoreOnScale, SCALES_BY_KIND } from './feedback-scales';
import { JourneyRuleViolation } from './journey-errors';
import type { FeedbackData, JourneyEvent, ReplacedAnswer, StageEntered, StageRegressed } from './journey-events';
import { withDefined } from './defined-fields';
import { stageChangeEventId } from './derived-ids';
import { applyMove, stageAt, type StageMove } from './stage-timeline';

/**
 * decide(command, state) → the events that record it (none when it records nothing new: a merge
 * already in place), or a JourneyRuleViolation. Derived events
 * get ids from their cause (`stage <eventId>`, in the derived namespace no client id can reach),
 * so deciding the same command twice yields the same ids and the store's idempotency covers them too.
 */
export function decide(command: CustomerCommand, state: CustomerState): JourneyEvent[] {
  const { eventId, occurredAt } = command;
  switch (command.type) {
    case 'RecordTouchpointVisit':
      return decideVisit(command, state);
    case 'RecordFeedback':
      return [{ type: 'FeedbackGiven', eventId, occurredAt, data: feedbackData(command, state) }];
    case 'OpenTicket': {
      if (state.tickets.has(command.data.ticketId)) {
        throw new JourneyRuleViolation(
          'ticket-already-opened',
          `ticket ${command.data.ticketId} is already open or was resolved; give each ticket its own ticketId`,
        );
      }
      const stage = stageAt(state.moves, Date.parse(occurredAt))?.stage;
      return [{ type: 'TicketOpened', eventId, occurredAt, data: withDefined({ ...command.data, stage }) }];
    }
    case 'ResolveTicket':
      return [resolveTicket(command, state)];
    case 'RecordPurchase':
      return decidePurchase(command, state);
    case 'ProfileCustomer':
      return [{ type: 'CustomerProfiled', eventId, occurredAt, data: withDefined(command.data) }];
    case 'RecordChurn':
      if (state.churned)
        throw new JourneyRuleViolation('customer-already-churned', `customer ${command.customerId} has already churned; send customer.reactivated first`);
      return [{ type: 'CustomerChurned', eventId, occurredAt, data: withDefined(command.data) }];
    case 'ReactivateCustomer':
      if (!state.churned) throw new JourneyRuleViolation('customer-not-churned', `customer ${command.customerId} has not churned, so cannot be reactivated`);
      return [{ type: 'CustomerReactivated', eventId, occurredAt, data: {} }];
    case 'MergeCustomer':
      if (command.data.from === command.customerId)
        throw new JourneyRuleViolation('merge-into-itself', `customer ${command.customerId} cannot be merged into itself`);
      // Said again (an identify on every page view): nothing new to record.
      return state.merged.has(command.data.from) ? [] : [{ type: 'CustomerMerged', eventId, occurredAt, data: { from: command.data.from } }];
    case 'UnmergeCustomer':
      if (!state.merged.has(command.data.from)) {
        throw new JourneyRuleViolation(
          'customer-not-merged',
          `customer ${command.data.from} is not merged into ${command.customerId}, so cannot be unmerged from it`,
        );
      }
      return [{ type: 'CustomerUnmerged', eventId, occurredAt, data: { from: command.data.from } }];
  }
}

function decideVisit(command: RecordTouchpointVisit, state: CustomerState): JourneyEvent[] {
  const { eventId, occurredAt, data } = command;
  const visit: JourneyEvent = { type: 'TouchpointVisited', eventId, occurredAt, data: withDefined(data) };
  const move: StageMove = {
    at: Date.parse(occurredAt),
    seq: state.eventCount,
    stage: data.stage,
    kind: 'visit',
    eventId,
    touchpoint: data.touchpoint,
    channel: data.channel,
  };
  const change = stageChange(state, move, data.touchpoint);
  return change ? [visit, change] : [visit];
}

function decidePurchase(command: RecordPurchase, state: CustomerState): JourneyEvent[] {
  const { eventId, occurredAt, data, customerId } = command;
  if (data.amount < 0)
    throw new JourneyRuleViolation(
      'purchase-amount-negative',
      `purchase ${data.orderId} has amount ${data.amount}; amounts are 0 or more (refunds are not purchases)`,
    );
  if (state.orderIds.has(data.orderId))
    throw new JourneyRuleViolation('order-already-recorded', `order ${data.orderId} is already recorded for customer ${customerId}`);
  const purchase: JourneyEvent = { type: 'PurchaseMade', eventId, occurredAt, data: { ...data } };
  const move: StageMove = { at: Date.parse(occurredAt), seq: state.eventCount, stage: 'purchase', kind: 'purchase', eventId };
  const change = stageChange(state, move);
  return change ? [purchase, change] : [purchase];
}

/** The StageEntered or StageRegressed a move causes at its own instant, if any. */
function stageChange(state: CustomerState, move: StageMove, touchpoint?: string): StageEntered | StageRegressed | null {
  const before = stageAt(state.moves, move.at);
  const { next, transition } = applyMove(before, move);
  const base = { eventId: stageChangeEventId(move.eventId), occurredAt: new Date(move.at).toISOString() };
  const causation = withDefined({ causationId: move.eventId, touchpoint });
  if (transition === 'entered') {
    return {
      ...base,
      type: 'StageEntered',
      data: { stage: next.stage, from: before?.stage ?? null, timeInPreviousStageMs: before ? move.at - before.enteredAt : null, ...causation },
    };
  }
  if (transition === 'regressed' && before) {
    return {
      ...base,
      type: 'StageRegressed',
      data: { stage: next.stage, from: before.stage, timeInPreviousStageMs: move.at - before.enteredAt, ...causation },
    };
  }
  return null;
}

function feedbackData(command: RecordFeedback, state: CustomerState): FeedbackData {
  const { replaceWithinMs, ...data } = command.data;
  const { kind, scale, score } = data;
  if (kind === 'comment') {
    if (score !== undefined || scale !== undefined)
      throw new JourneyRuleViolation('comment-has-no-score', 'a comment has no score and no scale; send a score as nps, csat, ces or review');
    if (typeof data.comment !== 'string' || data.comment.trim() === '')
      throw new JourneyRuleViolation('comment-without-text', 'a comment needs its text in comment');
  } else {
    if (scale === undefined || !SCALES_BY_KIND[kind].includes(scale)) {
      throw new JourneyRuleViolation('feedback-scale-not-allowed', `${kind} is answered on ${SCALES_BY_KIND[kind].join(', ')}, not ${scale}`);
    }
    if (score === undefined || !isScoreOnScale(score, scale)) {
      const expected = scale === 'yes-no' ? 'true or false' : `a whole number from ${scale.replace('-', ' to ')}`;
      throw new JourneyRuleViolation('feedback-score-outside-scale', `${kind} score ${JSON.stringify(score)} is outside scale ${scale}: expected ${expected}`);
    }
  }
  const stage = data.stage ?? stageAt(state.moves, Date.parse(command.occurredAt))?.stage;
  const replaces = replacedAnswer(command, state, replaceWithinMs ?? 0);
  return withDefined({ ...data, stage, replaces }) as FeedbackData;
}

/**
 * A survey link takes one answer: a second one within the replacement window replaces the first
 * (which then no longer counts anywhere); after it, the link is answered.
 */
function replacedAnswer(command: RecordFeedback, state: CustomerState, windowMs: number): ReplacedAnswer | undefined {
  const linkId = command.data.survey?.linkId;
  const earlier = linkId === undefined ? undefined : state.surveyAnswers.get(linkId);
  if (!earlier) return undefined;
  if (Date.parse(command.occurredAt) - Date.parse(earlier.occurredAt) > windowMs) {
    throw new JourneyRuleViolation('survey-link-answered', `survey link ${linkId} was answered at ${earlier.occurredAt}; each link takes one answer`);
  }
  const { kind, touchpoint, channel, stage } = earlier.data;
  const scored = earlier.data.kind === 'comment' ? {} : { score: earlier.data.score, scale: earlier.data.scale };
  return withDefined({ eventId: earlier.eventId, occurredAt: earlier.occurredAt, kind, ...scored, touchpoint, channel, stage });
}

function resolveTicket(command: ResolveTicket, state: CustomerState): JourneyEvent {
  const { ticketId } = command.data;
  const ticket = state.tickets.get(ticketId);
  if (!ticket)
    throw new JourneyRuleViolation('ticket-never-opened', `ticket ${ticketId} was never opened for customer ${command.customerId}; send ticket.opened first`);
  if (ticket.resolved) throw new JourneyRuleViolation('ticket-already-resolved', `ticket ${ticketId} is already resolved`);
  const resolvedAt = Date.parse(command.occurredAt);
  if (resolvedAt < ticket.openedAt) {
    throw new JourneyRuleViolation(
      'ticket-resolved-before-opened',
      `ticket ${ticketId} was opened at ${new Date(ticket.openedAt).toISOString()}, after this resolution at ${command.occurredAt}`,
    );
  }
  const { touchpoint, channel, stage } = ticket;
  return {
    type: 'TicketResolved',
    eventId: command.eventId,
    occurredAt: command.occurredAt,
    data: withDefined({ ticketId, openedAt: new Date(ticket.openedAt).toISOString(), resolutionMs: resolvedAt - ticket.openedAt, touchpoint, channel, stage }),
  };
}
