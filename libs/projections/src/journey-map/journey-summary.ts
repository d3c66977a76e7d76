import {
  applyMove,
  customerIdOf,
  isBottomTwoBox,
  isTopTwoBox,
  npsClass,
  RECORDED_FACT_TYPES,
  STAGES,
  stageIndex,
  type JourneyEvent,
  type Stage,
  type StagePosition,
} from '@journeyline/journey';

/**
 * The per-customer columns the customer list filters and sorts on, folded from the customer's
 * facts in (occurredAt, revision) order. Events that arrive in order extend the fold; a late one
 * makes the projection refold the customer's stored facts, so both paths give the same summary.
 */
export interface JourneySummary {
  currentStage: Stage | null;
  currentStageAt: number | null;
  /** When each stage (or a later one) was first reached: the funnel's input. */
  stageReached: Partial<Record<Stage, number>>;
  firstSeenAt: number;
  lastSeenAt: number;
  /** Ordering key of the last folded fact: (occurredAt ms, revision). */
  lastAt: number;
  lastRevision: number;
  factCount: number;
  openTickets: number;
  firstPurchaseAt: number | null;
  churned: boolean;
  churnedAt: number | null;
  /** Portrait fields and the (sealed) name; e-mail and phone are not needed here and not kept. */
  profile: Record<string, string>;
  /** Their personal data was erased (CustomerErased). */
  erased: boolean;
  lastNps: { score: number; class: string; at: number } | null;
  lastCsat: { score: number | boolean; scale: string; satisfied: boolean; at: number } | null;
  lastCes: { score: number; scale: string; hard: boolean; at: number } | null;
  /** Open churn-risk episodes: episodeId → rule (stored in episodeId order: see serializeSummary). */
  churnRisks: Record<string, string>;
}

/** What the journey map folds: the recorded facts, the churn-risk flags and clears, and erasure (stage changes it recomputes). */
export const FACT_TYPES: ReadonlySet<string> = new Set([...RECORDED_FACT_TYPES, 'ChurnRiskFlagged', 'ChurnRiskCleared', 'CustomerErased']);

/** Profile fields the read model has no use for (the journey answer reads them from the log). */
const NOT_KEPT: ReadonlySet<string> = new Set(['email', 'phone']);

export function emptySummary(): JourneySummary {
  return {
    currentStage: null,
    currentStageAt: null,
    stageReached: {},
    firstSeenAt: Number.POSITIVE_INFINITY,
    lastSeenAt: Number.NEGATIVE_INFINITY,
    lastAt: Number.NEGATIVE_INFINITY,
    lastRevision: -1,
    factCount: 0,
    openTickets: 0,
    firstPurchaseAt: null,
    churned: false,
    churnedAt: null,
    profile: {},
    erased: false,
    lastNps: null,
    lastCsat: null,
    lastCes: null,
    churnRisks: {},
  };
}

export interface Fact {
  event: JourneyEvent;
  revision: number;
}

/** Whether `fact` sorts after everything folded so far (so it can simply extend the fold). */
export function extendsFold(summary: JourneySummary, fact: Fact): boolean {
  const at = Date.parse(fact.event.occurredAt);
  return at > summary.lastAt || (at === summary.lastAt && fact.revision > summary.lastRevision);
}

/** Folds one fact that sorts after all folded ones. Mutates and returns `summary`. */
export function foldFact(summary: JourneySummary, fact: Fact): JourneySummary {
  const at = Date.parse(fact.event.occurredAt);
  summary.lastAt = at;
  summary.lastRevision = fact.revision;
  return applyFact(summary, fact, at);
}

/**
 * Churn-risk flags and clears change only the set of open episodes (a flag is always appended
 * before its clear), and a count, a minimum and a maximum: where they sort in time does not
 * change the summary. The churn-risk process dates a flag when its condition began, usually
 * before the customer's latest events, and refolding the stream for each would be the costliest
 * part of a rebuild.
 */
export function foldsInAnyOrder(fact: Fact): boolean {
  return fact.event.type === 'ChurnRiskFlagged' || fact.event.type === 'ChurnRiskCleared' || fact.event.type === 'CustomerErased';
}

/** Folds a fact that `foldsInAnyOrder`, wherever it sorts, leaving the ordering key as it is. */
export function foldUnordered(summary: JourneySummary, fact: Fact): JourneySummary {
  if (fact.event.type !== 'CustomerErased' && extendsFold(summary, fact)) return foldFact(summary, fact);
  return applyFact(summary, fact, Date.parse(fact.event.occurredAt));
}

function applyFact(summary: JourneySummary, { event, revision }: Fact, at: number): JourneySummary {
  if (event.type === 'CustomerErased') {
    // Not a fact about the journey: counts and dates stay; the (sealed) name is dropped.
    summary.erased = true;
    delete summary.profile.name;
    return summary;
  }
  // Merges change who the person is (JourneyMapBatch regroups them), not the journey.
  if (event.type === 'CustomerMerged' || event.type === 'CustomerUnmerged') return summary;
  summary.factCount += 1;
  summary.firstSeenAt = Math.min(summary.firstSeenAt, at);
  summary.lastSeenAt = Math.max(summary.lastSeenAt, at);
  switch (event.type) {
    case 'TouchpointVisited':
      move(summary, { at, seq: revision, stage: event.data.stage, kind: 'visit', eventId: event.eventId });
      break;
    case 'PurchaseMade':
      move(summary, { at, seq: revision, stage: 'purchase', kind: 'purchase', eventId: event.eventId });
      summary.firstPurchaseAt ??= at;
      break;
    case 'FeedbackGiven': {
      if (event.data.kind === 'comment') break;
      const { kind, score, scale } = event.data;
      if (kind === 'nps') summary.lastNps = { score: score as number, class: npsClass(score as number), at };
      if (kind === 'csat') summary.lastCsat = { score, scale, satisfied: isTopTwoBox(score, scale), at };
      if (kind === 'ces') summary.lastCes = { score: score as number, scale, hard: isBottomTwoBox(score, scale), at };
      break;
    }
    case 'TicketOpened':
      summary.openTickets += 1;
      break;
    case 'TicketResolved':
      summary.openTickets = Math.max(0, summary.openTickets - 1);
      break;
    case 'CustomerProfiled':
      for (const [field, value] of Object.entries(event.data)) if (typeof value === 'string' && !NOT_KEPT.has(field)) summary.profile[field] = value;
      if (summary.erased) delete summary.profile.name;
      break;
    case 'CustomerChurned':
      summary.churned = true;
      summary.churnedAt = at;
      break;
    case 'CustomerReactivated':
      summary.churned = false;
      break;
    case 'ChurnRiskFlagged':
      summary.churnRisks[event.data.episodeId] = event.data.rule;
      break;
    case 'ChurnRiskCleared':
      delete summary.churnRisks[event.data.episodeId];
      break;
    case 'StageEntered':
    case 'StageRegressed':
      break;
  }
  return summary;
}

function move(summary: JourneySummary, next: Parameters<typeof applyMove>[1]): void {
  const current: StagePosition | null = summary.currentStage ? { stage: summary.currentStage, enteredAt: summary.currentStageAt! } : null;
  const { next: position } = applyMove(current, next);
  summary.currentStage = position.stage;
  summary.currentStageAt = position.enteredAt;
  for (const stage of STAGES.slice(0, stageIndex(position.stage) + 1)) summary.stageReached[stage] ??= next.at;
}

/**
 * The summary as stored. Open churn-risk episodes are written in episode-id order, not the order
 * they were folded in: flags fold in any order, and the stored bytes must not depend on it.
 */
export function serializeSummary(summary: JourneySummary): string {
  const episodes = Object.keys(summary.churnRisks);
  if (episodes.length < 2) return JSON.stringify(summary);
  const churnRisks: Record<string, string> = {};
  for (const episodeId of episodes.sort()) churnRisks[episodeId] = summary.churnRisks[episodeId];
  return JSON.stringify({ ...summary, churnRisks });
}

/** Refolds facts from scratch in (occurredAt, revision) order. */
export function refold(facts: readonly Fact[]): JourneySummary {
  const sorted = [...facts].sort((a, b) => Date.parse(a.event.occurredAt) - Date.parse(b.event.occurredAt) || a.revision - b.revision);
  return sorted.reduce(foldFact, emptySummary());
}

export function customerOf(streamId: string): string | null {
  return customerIdOf(streamId);
}
