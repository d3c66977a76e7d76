import type { FeedbackData, JourneyEvent } from './journey-events';
import type { Stage } from './stages';
import { insertMove, type StageMove } from './stage-timeline';

/** What the customer decider needs to know about one customer to judge the next command. */
export interface CustomerState {
  /** Events folded so far: the arrival sequence of the next one. */
  eventCount: number;
  moves: readonly StageMove[];
  tickets: ReadonlyMap<string, TicketState>;
  orderIds: ReadonlySet<string>;
  churned: boolean;
  /** Their personal data was erased (CustomerErased). */
  erased: boolean;
  /** Customers merged into this one and not unmerged since. */
  merged: ReadonlySet<string>;
  /** The answer each survey link took (the latest, once replaced). */
  surveyAnswers: ReadonlyMap<string, SurveyAnswer>;
}

export interface SurveyAnswer {
  eventId: string;
  occurredAt: string;
  data: FeedbackData;
}

export interface TicketState {
  openedAt: number;
  resolved: boolean;
  touchpoint?: string;
  channel?: string;
  stage?: Stage;
}

export function initialState(): CustomerState {
  return { eventCount: 0, moves: [], tickets: new Map(), orderIds: new Set(), churned: false, erased: false, merged: new Set(), surveyAnswers: new Map() };
}

export function evolve(state: CustomerState, event: JourneyEvent): CustomerState {
  const seq = state.eventCount;
  // occurredAt is parsed only by the events that keep a time (half of them are stage changes and feedback, which do not)
  const at = () => Date.parse(event.occurredAt);
  const next: CustomerState = { ...state, eventCount: seq + 1 };
  switch (event.type) {
    case 'TouchpointVisited': {
      const { stage, touchpoint, channel } = event.data;
      next.moves = insertMove(state.moves, { at: at(), seq, stage, kind: 'visit', eventId: event.eventId, touchpoint, channel });
      return next;
    }
    case 'PurchaseMade':
      next.moves = insertMove(state.moves, { at: at(), seq, stage: 'purchase', kind: 'purchase', eventId: event.eventId });
      next.orderIds = new Set(state.orderIds).add(event.data.orderId);
      return next;
    case 'TicketOpened': {
      const { ticketId, touchpoint, channel, stage } = event.data;
      next.tickets = new Map(state.tickets).set(ticketId, { openedAt: at(), resolved: false, touchpoint, channel, stage });
      return next;
    }
    case 'TicketResolved': {
      const ticket = state.tickets.get(event.data.ticketId);
      if (ticket) next.tickets = new Map(state.tickets).set(event.data.ticketId, { ...ticket, resolved: true });
      return next;
    }
    case 'CustomerChurned':
      next.churned = true;
      return next;
    case 'CustomerReactivated':
      next.churned = false;
      return next;
    case 'CustomerErased':
      next.erased = true;
      return next;
    case 'CustomerMerged':
      next.merged = new Set(state.merged).add(event.data.from);
      return next;
    case 'CustomerUnmerged': {
      const merged = new Set(state.merged);
      merged.delete(event.data.from);
      next.merged = merged;
      return next;
    }
    case 'FeedbackGiven': {
      const linkId = event.data.survey?.linkId;
      if (linkId !== undefined)
        next.surveyAnswers = new Map(state.surveyAnswers).set(linkId, { eventId: event.eventId, occurredAt: event.occurredAt, data: event.data });
      return next;
    }
    case 'StageEntered':
    case 'StageRegressed':
    case 'CustomerProfiled':
    case 'ChurnRiskFlagged':
    case 'ChurnRiskCleared':
      return next;
  }
}

export function foldCustomer(events: readonly JourneyEvent[]): CustomerState {
  return events.reduce(evolve, initialState());
}
