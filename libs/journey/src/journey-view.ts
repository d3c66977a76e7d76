import type { CustomerProfile, RecordedJourneyEvent, SurveyRef } from './journey-events';
import { RECORD_KEEPING_TYPES } from './personal-fields';
import { STAGE_LABELS, type Stage } from './stages';
import { applyMove, compareMoves, type StageMove, type StagePosition } from './stage-timeline';

/**
 * A customer's journey as people read it: built by folding the stream's facts in `occurredAt`
 * order (ties by arrival). Stage history is recomputed from the visits and purchases themselves,
 * so an event that arrived late sits where it happened; derived StageEntered/StageRegressed events
 * are not needed (and not counted in `eventCount`).
 */
export interface Journey {
  customerId: string;
  currentStage: Stage | null;
  currentStageLabel: { en: string; vi: string } | null;
  stages: StageStay[];
  feedback: FeedbackEntry[];
  tickets: TicketEntry[];
  purchases: PurchaseEntry[];
  profile: CustomerProfile;
  churn: { churned: boolean; churnedAt: string | null; reason: string | null; reactivatedAt: string | null };
  /** Churn-risk episodes, open and closed, with the ids of their evidence events. */
  churnRisks: ChurnRiskEntry[];
  firstSeenAt: string;
  lastSeenAt: string;
  eventCount: number;
  /** Their personal data was erased: personal fields read as null. */
  erased: boolean;
  /** Asked for by a customer merged into another: the person (the customer everyone is merged into) answers. */
  mergedInto?: string;
  /** The customers merged into this one (directly or along a chain), whose journeys this one joins. */
  mergedCustomers?: string[];
}

export interface StageStay {
  stage: Stage;
  label: { en: string; vi: string };
  enteredAt: string;
  leftAt: string | null;
  /** Time in this stay; for the current stage, time until `asOf`. */
  durationMs: number;
  direction: 'forward' | 'backward' | 'start';
  touchpoints: { touchpoint: string; channel: string; at: string; eventId: string }[];
}

export interface FeedbackEntry {
  eventId: string;
  at: string;
  kind: string;
  /** Absent for a comment, which has no score. */
  score?: number | boolean;
  scale?: string;
  touchpoint?: string;
  channel?: string;
  stage?: Stage;
  comment?: string;
  source?: string;
  survey?: SurveyRef;
}

export interface TicketEntry {
  ticketId: string;
  openedAt: string;
  resolvedAt: string | null;
  resolutionMs: number | null;
  status: 'open' | 'resolved';
  touchpoint?: string;
  channel?: string;
  subject?: string;
}

export interface ChurnRiskEntry {
  episodeId: string;
  rule: string;
  reason: string;
  evidence: string[];
  flaggedAt: string;
  clearedAt: string | null;
  /** The churn-risk rules version that raised the flag (absent for flags raised before rules were versioned). */
  rulesVersion?: number;
  /** The rules version in force when it was cleared (absent while open, or cleared before versioning). */
  clearedRulesVersion?: number;
}

export interface PurchaseEntry {
  eventId: string;
  at: string;
  orderId: string;
  amount: number;
  currency: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function buildJourney(customerId: string, events: readonly RecordedJourneyEvent[], asOf: Date): Journey | null {
  const facts = events
    .filter((e) => e.type !== 'StageEntered' && e.type !== 'StageRegressed')
    .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.revision - b.revision);
  if (facts.length === 0) return null;
  // An erasure or a merge is not something the customer did: it moves neither the dates nor the count.
  const sightings = facts.some((e) => RECORD_KEEPING_TYPES.has(e.type)) ? facts.filter((e) => !RECORD_KEEPING_TYPES.has(e.type)) : facts;
  const seen = sightings.length > 0 ? sightings : facts;
  const moves: StageMove[] = [];
  const journey: Journey = {
    customerId,
    currentStage: null,
    currentStageLabel: null,
    stages: [],
    feedback: [],
    tickets: [],
    purchases: [],
    profile: {},
    churn: { churned: false, churnedAt: null, reason: null, reactivatedAt: null },
    churnRisks: [],
    firstSeenAt: seen[0].occurredAt,
    lastSeenAt: seen[seen.length - 1].occurredAt,
    eventCount: sightings.length,
    erased: false,
  };
  const tickets = new Map<string, TicketEntry>();
  for (const event of facts) {
    const at = Date.parse(event.occurredAt);
    switch (event.type) {
      case 'TouchpointVisited':
        moves.push({
          at,
          seq: event.revision,
          stage: event.data.stage,
          kind: 'visit',
          eventId: event.eventId,
          touchpoint: event.data.touchpoint,
          channel: event.data.channel,
        });
        break;
      case 'PurchaseMade':
        moves.push({ at, seq: event.revision, stage: 'purchase', kind: 'purchase', eventId: event.eventId });
        journey.purchases.push({ eventId: event.eventId, at: event.occurredAt, ...event.data });
        break;
      case 'FeedbackGiven': {
        const { replaces, ...answer } = event.data;
        // a survey link's second answer within its window stands in for the first
        if (replaces) journey.feedback = journey.feedback.filter((entry) => entry.eventId !== replaces.eventId);
        journey.feedback.push({ eventId: event.eventId, at: event.occurredAt, ...answer });
        break;
      }
      case 'TicketOpened': {
        const { ticketId, touchpoint, channel, subject } = event.data;
        const entry: TicketEntry = { ticketId, openedAt: event.occurredAt, resolvedAt: null, resolutionMs: null, status: 'open', touchpoint, channel, subject };
        tickets.set(ticketId, entry);
        break;
      }
      case 'TicketResolved': {
        const ticket = tickets.get(event.data.ticketId);
        if (ticket) Object.assign(ticket, { resolvedAt: event.occurredAt, resolutionMs: event.data.resolutionMs, status: 'resolved' });
        break;
      }
      case 'CustomerProfiled':
        journey.profile = { ...journey.profile, ...event.data };
        break;
      case 'CustomerChurned':
        journey.churn = { churned: true, churnedAt: event.occurredAt, reason: event.data.reason ?? null, reactivatedAt: null };
        break;
      case 'CustomerReactivated':
        journey.churn = { ...journey.churn, churned: false, reactivatedAt: event.occurredAt };
        break;
      case 'CustomerErased':
        journey.erased = true;
        break;
      case 'ChurnRiskFlagged': {
        const { episodeId, rule, reason, evidence, rulesVersion } = event.data;
        journey.churnRisks.push({
          episodeId,
          rule,
          reason,
          evidence,
          flaggedAt: event.occurredAt,
          clearedAt: null,
          ...(rulesVersion !== undefined ? { rulesVersion } : {}),
        });
        break;
      }
      case 'ChurnRiskCleared': {
        const episode = journey.churnRisks.find((r) => r.episodeId === event.data.episodeId);
        if (episode) {
          episode.clearedAt = event.occurredAt;
          if (event.data.rulesVersion !== undefined) episode.clearedRulesVersion = event.data.rulesVersion;
        }
        break;
      }
    }
  }
  journey.tickets = [...tickets.values()];
  journey.stages = stageStays(moves.sort(compareMoves), asOf.getTime());
  const current = journey.stages[journey.stages.length - 1];
  journey.currentStage = current?.stage ?? null;
  journey.currentStageLabel = current ? STAGE_LABELS[current.stage] : null;
  return journey;
}

/** Folds sorted moves into stays: a new stay on every forward or backward transition. */
export function stageStays(moves: readonly StageMove[], asOfMs: number): StageStay[] {
  const stays: StageStay[] = [];
  let position: StagePosition | null = null;
  for (const move of moves) {
    const { next, transition } = applyMove(position, move);
    if (transition !== 'stayed') {
      const previous = stays[stays.length - 1];
      if (previous) {
        previous.leftAt = iso(move.at);
        previous.durationMs = move.at - Date.parse(previous.enteredAt);
      }
      stays.push({
        stage: next.stage,
        label: STAGE_LABELS[next.stage],
        enteredAt: iso(move.at),
        leftAt: null,
        durationMs: 0,
        direction: previous ? (transition === 'entered' ? 'forward' : 'backward') : 'start',
        touchpoints: [],
      });
    }
    position = next;
    if (move.kind === 'visit' && move.touchpoint && move.channel) {
      stays[stays.length - 1].touchpoints.push({ touchpoint: move.touchpoint, channel: move.channel, at: iso(move.at), eventId: move.eventId });
    }
  }
  const last = stays[stays.length - 1];
  if (last) last.durationMs = Math.max(0, asOfMs - Date.parse(last.enteredAt));
  return stays;
}
