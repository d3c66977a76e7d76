import type { JourneyEvent } from '../journey-events';
import { churnRuleReason, type ChurnRule } from './churn-rules';
import { trackerFor, type RuleMatch, type TimedEvent } from './churn-rule-trackers';

/**
 * Which churn-risk conditions hold for one customer at `now`, and since when, from their facts
 * alone: facts are read in `occurredAt` order (ties by revision, else by arrival), facts dated
 * after `now` are not yet known, and derived events (stage changes, earlier flags) play no part.
 * Deterministic: the same facts, rules and `now` always give the same answer.
 *
 * A rule's matches may overlap (two tickets open too long at once) but its episodes may not: one
 * flag per rule at a time. So the matches are laid end to end: an episode follows one match until
 * that match ends; then the match that is active at that instant (else the next to begin) takes
 * over. Every episode therefore has a start and an end derived from event times, never from when
 * the evaluation ran.
 */
export type ChurnRiskFact = JourneyEvent & { revision?: number };

/** A condition that holds at `now`: one per rule at most. */
export interface ChurnRiskCondition {
  /** The rule id. */
  rule: string;
  /** Id of the event anchoring the episode: the flag's event id is built from it. */
  key: string;
  evidence: string[];
  reason: string;
  /** ISO instant the condition began to hold (for this episode). */
  since: string;
}

/** An episode of a rule's condition up to `now`: ended, or still holding (`endedAt` null). */
export interface ChurnRiskSpan extends ChurnRiskCondition {
  endedAt: string | null;
  endReason: string | null;
}

export interface ChurnRiskTrace {
  /** The `now` of the evaluation, ISO. */
  at: string;
  rules: readonly ChurnRule[];
  /** When the customer churned, if they are churned at `now` (not reactivated since). */
  churnedAt: string | null;
  /** Every episode of every rule, rule by rule (in `rules` order), each rule's in time order. */
  spans: ChurnRiskSpan[];
  /** The earliest instant after `now` at which a condition could begin by time alone, or a fact dated later becomes known. */
  nextCheckAt: string | null;
}

const IGNORED_TYPES = new Set<JourneyEvent['type']>(['StageEntered', 'StageRegressed', 'ChurnRiskFlagged', 'ChurnRiskCleared']);

export function traceChurnRisk(events: readonly ChurnRiskFact[], rules: readonly ChurnRule[], now: Date): ChurnRiskTrace {
  const nowMs = now.getTime();
  const facts: (TimedEvent & { order: number })[] = [];
  let nextFact = Number.POSITIVE_INFINITY;
  events.forEach((event, index) => {
    if (IGNORED_TYPES.has(event.type)) return;
    const at = Date.parse(event.occurredAt);
    if (Number.isNaN(at)) return;
    if (at > nowMs) nextFact = Math.min(nextFact, at);
    else facts.push({ event, at, order: event.revision ?? index });
  });
  facts.sort((a, b) => a.at - b.at || a.order - b.order);

  const trackers = rules.map(trackerFor);
  let churnedAt: number | null = null;
  for (const fact of facts) {
    if (fact.event.type === 'CustomerChurned') {
      if (churnedAt !== null) continue;
      churnedAt = fact.at;
      for (const tracker of trackers) tracker.suspend(fact);
    } else if (fact.event.type === 'CustomerReactivated') {
      if (churnedAt === null) continue;
      churnedAt = null;
      for (const tracker of trackers) tracker.resume(fact);
    } else {
      for (const tracker of trackers) tracker.observe(fact);
    }
  }

  const spans: ChurnRiskSpan[] = [];
  let nextCheckAt = nextFact;
  rules.forEach((rule, index) => {
    const { matches, nextCheckAt: next } = trackers[index].finish(nowMs);
    if (next !== null) nextCheckAt = Math.min(nextCheckAt, next);
    spans.push(...episodes(matches).map((episode) => toSpan(rule, episode)));
  });
  return {
    at: now.toISOString(),
    rules,
    churnedAt: churnedAt === null ? null : new Date(churnedAt).toISOString(),
    spans,
    nextCheckAt: Number.isFinite(nextCheckAt) ? new Date(nextCheckAt).toISOString() : null,
  };
}

/** The conditions holding at `now`, one per rule at most, in rule order. */
export function evaluateChurnRisk(events: readonly ChurnRiskFact[], rules: readonly ChurnRule[], now: Date): ChurnRiskCondition[] {
  return traceChurnRisk(events, rules, now)
    .spans.filter((span) => span.endedAt === null)
    .map(({ rule, key, evidence, reason, since }) => ({ rule, key, evidence, reason, since }));
}

/** Lays a rule's matches end to end (see the file comment). `start` may be later than the match's `since`. */
function episodes(matches: readonly RuleMatch[]): (RuleMatch & { start: number })[] {
  const pool = matches.map((match, order) => ({ match, order }));
  const chain: (RuleMatch & { start: number })[] = [];
  let from = Number.NEGATIVE_INFINITY;
  for (;;) {
    let best: { match: RuleMatch; order: number; start: number } | null = null;
    for (const candidate of pool) {
      const { match } = candidate;
      if (match.endedAt !== null && match.endedAt <= from) continue;
      const start = Math.max(match.since, from);
      if (
        !best ||
        start < best.start ||
        (start === best.start && (match.since < best.match.since || (match.since === best.match.since && candidate.order < best.order)))
      ) {
        best = { ...candidate, start };
      }
    }
    if (!best) return chain;
    chain.push({ ...best.match, start: best.start });
    if (best.match.endedAt === null) return chain;
    from = best.match.endedAt;
    pool.splice(
      pool.findIndex((candidate) => candidate.order === best!.order),
      1,
    );
  }
}

function toSpan(rule: ChurnRule, episode: RuleMatch & { start: number }): ChurnRiskSpan {
  return {
    rule: rule.id,
    key: episode.key,
    evidence: episode.evidence,
    reason: churnRuleReason(rule),
    since: new Date(episode.start).toISOString(),
    endedAt: episode.endedAt === null ? null : new Date(episode.endedAt).toISOString(),
    endReason: episode.endReason,
  };
}
