import { derivedEventId } from '../derived-ids';
import type { ChurnRiskCleared, ChurnRiskFlagged, JourneyEvent } from '../journey-events';
import type { ChurnRiskSpan, ChurnRiskTrace } from './churn-risk-evaluator';
import { CUSTOMER_CHURNED_REASON } from './churn-rule-trackers';

/**
 * decide(history, trace) → the ChurnRiskFlagged / ChurnRiskCleared events that bring the
 * customer's stream in line with the trace: a flag for every episode not yet flagged, a clear for
 * every flagged episode that has ended. An episode already flagged is never flagged again, so
 * deciding twice, or in two processes at once, adds nothing.
 *
 * Ids and times are derived, never taken from the clock when they can be: the flag's id is
 * `churn-risk <customerId> <ruleId> <key>` (and its episodeId), the clear's is
 * `churn-risk-cleared <customerId> <ruleId> <key>` (derived ids: see derived-ids.ts);
 * a flag occurs when its condition began, a clear when the event that ended it occurred. Two
 * deciders therefore write byte-identical events, which the store's idempotency absorbs.
 *
 * An open flag the trace no longer knows (late events rewrote the past, or the rule changed or
 * was removed from the configuration) is cleared as well: at the churn if the customer churned,
 * else at the latest fact that arrived after the flag, else at the trace's `now`.
 */
export type ChurnRiskEvent = ChurnRiskFlagged | ChurnRiskCleared;

export const CONDITION_GONE_REASON = 'condition no longer holds';
export const RULE_REMOVED_REASON = 'rule no longer configured';

export function churnRiskEpisodeId(customerId: string, ruleId: string, key: string): string {
  return derivedEventId('churn-risk', customerId, ruleId, key);
}

/** The id of the clear that ends an episode. */
export function churnRiskClearedEventId(episodeId: string): string {
  const flagKind = 'churn-risk ';
  return episodeId.startsWith(flagKind) ? `churn-risk-cleared ${episodeId.slice(flagKind.length)}` : derivedEventId('churn-risk-cleared', episodeId);
}

export function decideChurnRisk(customerId: string, history: readonly JourneyEvent[], trace: ChurnRiskTrace): ChurnRiskEvent[] {
  const flags = new Map<string, { flag: ChurnRiskFlagged; index: number }>();
  const cleared = new Set<string>();
  history.forEach((event, index) => {
    if (event.type === 'ChurnRiskFlagged') flags.set(event.data.episodeId, { flag: event, index });
    if (event.type === 'ChurnRiskCleared') cleared.add(event.data.episodeId);
  });
  const spans = new Map(trace.spans.map((span) => [churnRiskEpisodeId(customerId, span.rule, span.key), span]));
  const decided: ChurnRiskEvent[] = [];

  for (const [episodeId, { flag, index }] of flags) {
    if (cleared.has(episodeId) || spans.has(episodeId)) continue;
    const { reason, at } = staleEnd(flag, index, history, trace);
    decided.push(clear(flag.data.rule, episodeId, latest(at, flag.occurredAt), reason));
  }

  for (const [episodeId, span] of spans) {
    const flaggedAt = flags.get(episodeId)?.flag.occurredAt ?? span.since;
    if (!flags.has(episodeId)) decided.push(flagOf(episodeId, span));
    if (span.endedAt !== null && !cleared.has(episodeId)) {
      decided.push(clear(span.rule, episodeId, latest(span.endedAt, flaggedAt), span.endReason ?? CONDITION_GONE_REASON));
    }
  }
  // Stable: at equal instants a clear keeps its place before the flag that follows it.
  return decided.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
}

function staleEnd(flag: ChurnRiskFlagged, index: number, history: readonly JourneyEvent[], trace: ChurnRiskTrace): { reason: string; at: string } {
  if (trace.churnedAt !== null) return { reason: CUSTOMER_CHURNED_REASON, at: trace.churnedAt };
  if (!trace.rules.some((rule) => rule.id === flag.data.rule)) return { reason: RULE_REMOVED_REASON, at: trace.at };
  const now = Date.parse(trace.at);
  let lastArrival = Number.NEGATIVE_INFINITY;
  for (const event of history.slice(index + 1)) {
    if (event.type === 'ChurnRiskFlagged' || event.type === 'ChurnRiskCleared') continue;
    const at = Date.parse(event.occurredAt);
    if (at <= now) lastArrival = Math.max(lastArrival, at);
  }
  return { reason: CONDITION_GONE_REASON, at: Number.isFinite(lastArrival) ? new Date(lastArrival).toISOString() : trace.at };
}

function flagOf(episodeId: string, span: ChurnRiskSpan): ChurnRiskFlagged {
  return {
    type: 'ChurnRiskFlagged',
    eventId: episodeId,
    occurredAt: span.since,
    data: { rule: span.rule, reason: span.reason, evidence: span.evidence, episodeId },
  };
}

function clear(rule: string, episodeId: string, occurredAt: string, reason: string): ChurnRiskCleared {
  return { type: 'ChurnRiskCleared', eventId: churnRiskClearedEventId(episodeId), occurredAt, data: { rule, reason, episodeId } };
}

function latest(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
