import type { CustomerProfile, SurveyRef } from './journey-events';
import type { FeedbackKind, Scale, Score } from './feedback-scales';
import type { Stage } from './stages';

/**
 * Commands ask the customer decider to record something that happened. They arrive already
 * validated in shape (types, enums, required fields); the decider checks the journey rules.
 */
interface Command<T extends string, D> {
  type: T;
  eventId: string;
  customerId: string;
  /** UTC ISO 8601. */
  occurredAt: string;
  data: D;
}

export type RecordTouchpointVisit = Command<
  'RecordTouchpointVisit',
  { touchpoint: string; channel: string; stage: Stage; properties?: Record<string, unknown> }
>;
export type RecordFeedback = Command<
  'RecordFeedback',
  {
    kind: FeedbackKind;
    /** Every kind but `comment` has a score on a scale; a comment has neither. */
    score?: Score;
    scale?: Scale;
    touchpoint?: string;
    channel?: string;
    stage?: Stage;
    comment?: string;
    source?: string;
    survey?: SurveyRef;
    /**
     * With `survey.linkId`: how long after the link's first answer a second one replaces it
     * (default 0: a link takes one answer). Not recorded: a setting of the one who asks.
     */
    replaceWithinMs?: number;
  }
>;
export type OpenTicket = Command<'OpenTicket', { ticketId: string; touchpoint?: string; channel?: string; subject?: string }>;
export type ResolveTicket = Command<'ResolveTicket', { ticketId: string }>;
export type RecordPurchase = Command<'RecordPurchase', { orderId: string; amount: number; currency: string }>;
export type ProfileCustomer = Command<'ProfileCustomer', CustomerProfile>;
export type RecordChurn = Command<'RecordChurn', { reason?: string }>;
export type ReactivateCustomer = Command<'ReactivateCustomer', Record<string, never>>;
/** `from` (an anonymous visitor, a duplicate record) is the same person as this customer: their journeys join. */
export type MergeCustomer = Command<'MergeCustomer', { from: string }>;
/** Takes back a merge: `from` is a person of its own again, exactly as if never merged. */
export type UnmergeCustomer = Command<'UnmergeCustomer', { from: string }>;

export type CustomerCommand =
  | RecordTouchpointVisit
  | RecordFeedback
  | OpenTicket
  | ResolveTicket
  | RecordPurchase
  | ProfileCustomer
  | RecordChurn
  | ReactivateCustomer
  | MergeCustomer
  | UnmergeCustomer;
