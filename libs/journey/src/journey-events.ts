import type { FeedbackKind, ScoredFeedbackKind, Scale, Score } from './feedback-scales';
import type { Stage } from './stages';

/**
 * Events of a customer's stream: facts recorded from the outside world (TouchpointVisited, ...)
 * and facts the domain derives from them (StageEntered, StageRegressed). Every event has a
 * globally unique `eventId` (the idempotency key) and the instant it happened, `occurredAt`
 * (UTC ISO 8601).
 */
interface Envelope<T extends string, D> {
  type: T;
  eventId: string;
  occurredAt: string;
  data: D;
}

export interface CustomerProfile {
  segment?: string;
  region?: string;
  ageBand?: string;
  gender?: string;
  acquisitionChannel?: string;
  /** Personal data (see personal-fields.ts): sealed with the customer's data key before it is stored. */
  name?: string;
  email?: string;
  phone?: string;
}

export type TouchpointVisited = Envelope<'TouchpointVisited', { touchpoint: string; channel: string; stage: Stage; properties?: Record<string, unknown> }>;

/** The customer moved forwards: `from` is the stage left (null on first contact). */
export type StageEntered = Envelope<
  'StageEntered',
  { stage: Stage; from: Stage | null; timeInPreviousStageMs: number | null; causationId: string; touchpoint?: string }
>;

/** The customer went back to an earlier stage: recorded, never silently ignored. */
export type StageRegressed = Envelope<'StageRegressed', { stage: Stage; from: Stage; timeInPreviousStageMs: number; causationId: string; touchpoint?: string }>;

/** The survey (and version, whose wording was answered) an answer came from, and the link it came through. */
export interface SurveyRef {
  surveyId: string;
  version: number;
  linkId?: string;
}

/** What a replaced answer counted for, carried by the answer replacing it so that metrics subtract it without a lookup. */
export interface ReplacedAnswer {
  eventId: string;
  occurredAt: string;
  kind: FeedbackKind;
  score?: Score;
  scale?: Scale;
  touchpoint?: string;
  channel?: string;
  stage?: Stage;
}

interface FeedbackContext {
  touchpoint?: string;
  channel?: string;
  /** The stage given with the answer, else the stage the customer was in when answering. */
  stage?: Stage;
  comment?: string;
  /** Where a review or comment was posted: google, facebook, shopee, zalo... */
  source?: string;
  survey?: SurveyRef;
  /** A second answer through the same survey link within the replacement window: the first no longer counts. */
  replaces?: ReplacedAnswer;
}

/** An answer with a score: NPS, CSAT, CES, or a review's stars. */
export type ScoredFeedback = FeedbackContext & { kind: ScoredFeedbackKind; score: Score; scale: Scale };
/** A comment with no score (a message, a social mention): listed at its touchpoint, never in a score. */
export type UnscoredFeedback = FeedbackContext & { kind: 'comment'; comment: string };
export type FeedbackData = ScoredFeedback | UnscoredFeedback;

export type FeedbackGiven = Envelope<'FeedbackGiven', FeedbackData>;

export type TicketOpened = Envelope<'TicketOpened', { ticketId: string; touchpoint?: string; channel?: string; subject?: string; stage?: Stage }>;

/** Carries where the ticket was opened and how long it took, so metrics need no lookup. */
export type TicketResolved = Envelope<
  'TicketResolved',
  {
    ticketId: string;
    openedAt: string;
    resolutionMs: number;
    touchpoint?: string;
    channel?: string;
    stage?: Stage;
  }
>;

export type PurchaseMade = Envelope<'PurchaseMade', { orderId: string; amount: number; currency: string }>;

export type CustomerProfiled = Envelope<'CustomerProfiled', CustomerProfile>;

export type CustomerChurned = Envelope<'CustomerChurned', { reason?: string }>;

export type CustomerReactivated = Envelope<'CustomerReactivated', Record<string, never>>;

/**
 * The customer's personal data was erased: their data key is destroyed, so the personal fields of
 * every event before (and after) this one read as erased. Counts and metrics stay as they were.
 */
export type CustomerErased = Envelope<'CustomerErased', Record<string, never>>;

/**
 * Identity stitching, as facts in the surviving customer's stream (the history of both is never
 * rewritten): `from` is the same person as this customer, so read models count them as one, their
 * journeys joined; chains resolve (a → b, b → c: all three are c). CustomerUnmerged takes it back.
 */
export type CustomerMerged = Envelope<'CustomerMerged', { from: string }>;
export type CustomerUnmerged = Envelope<'CustomerUnmerged', { from: string }>;

/** A churn-risk rule matched: appended by the churn-risk process manager, once per episode. */
export type ChurnRiskFlagged = Envelope<'ChurnRiskFlagged', { rule: string; reason: string; evidence: string[]; episodeId: string; rulesVersion?: number }>;

/** The condition of a flagged rule no longer holds: the episode ends. `rulesVersion`: the churn-risk rules version in force (absent before rules were versioned). */
export type ChurnRiskCleared = Envelope<'ChurnRiskCleared', { rule: string; reason: string; episodeId: string; rulesVersion?: number }>;

export type JourneyEvent =
  | TouchpointVisited
  | StageEntered
  | StageRegressed
  | FeedbackGiven
  | TicketOpened
  | TicketResolved
  | PurchaseMade
  | CustomerProfiled
  | CustomerChurned
  | CustomerReactivated
  | CustomerErased
  | CustomerMerged
  | CustomerUnmerged
  | ChurnRiskFlagged
  | ChurnRiskCleared;

export type JourneyEventType = JourneyEvent['type'];

/** A journey event as read back from a stream: its revision orders ties in `occurredAt`. */
export type RecordedJourneyEvent = JourneyEvent & { revision: number; position?: number; recordedAt?: string };
