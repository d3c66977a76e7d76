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
 *
 * With versioned rules (`versioning`), every flag and clear names the rules version in force, and
 * a rule given a new definition (other parameters) at version N starts episodes of its own
 * (`churn-risk <customer> <rule> <key> v<N>`): what was flagged and cleared under the old
 * definition is never flagged again under its id, so the new definition can raise it anew. A flag
 * of an earlier definition that the new one still holds (same rule, same key) stays open, and is
 * cleared when the new definition says its condition ended; one the new definition does not hold
 * is cleared at once, saying the rule changed. The first definition of a rule keeps the plain id,
 * so the flags of stores from before versioning are recognised.
 */
export type ChurnRiskEvent = ChurnRiskFlagged | ChurnRiskCleared;

export const CONDITION_GONE_REASON = 'condition no longer holds';
export const RULE_REMOVED_REASON = 'rule no longer configured';

/** Which rules version is in force, and for each rule id the versions at which it took a new definition (see churnRuleRevisions). */
export interface ChurnRulesVersioning {
  version: number;
  revisions: ReadonlyMap<string, readonly number[]>;
}

/** Why a flag of an earlier definition of its rule ended when the new one does not hold it. */
export function ruleChangedReason(version: number): string {
  return `rule changed in version ${version}`;
}

/** The episode's id; a rule's later definitions (`revision`, from its second on) have episodes of their own. */
export function churnRiskEpisodeId(customerId: string, ruleId: string, key: string, revision?: number): string {
  return revision === undefined ? derivedEventId('churn-risk', customerId, ruleId, key) : derivedEventId('churn-risk', customerId, ruleId, key, `v${revision}`);
}

/** The id of the clear that ends an episode. */
export function churnRiskClearedEventId(episodeId: string): string {
  const flagKind = 'churn-risk ';
  return episodeId.startsWith(flagKind) ? `churn-risk-cleared ${episodeId.slice(flagKind.length)}` : derivedEventId('churn-risk-cleared', episodeId);
}

export function decideChurnRisk(
  customerId: string,
  history: readonly JourneyEvent[],
  trace: ChurnRiskTrace,
  versioning?: ChurnRulesVersioning,
): ChurnRiskEvent[] {
  const flags = new Map<string, { flag: ChurnRiskFlagged; index: number }>();
  const cleared = new Set<string>();
  history.forEach((event, index) => {
    if (event.type === 'ChurnRiskFlagged') flags.set(event.data.episodeId, { flag: event, index });
    if (event.type === 'ChurnRiskCleared') cleared.add(event.data.episodeId);
  });
  const ids = episodeIds(customerId, versioning);
  const spans = new Map<string, ChurnRiskSpan>();
  for (const span of trace.spans) {
    const id = ids.current(span.rule, span.key);
    // an open flag of an earlier definition that this one still holds: the same episode goes on
    const carried = flags.has(id) ? undefined : ids.earlier(span.rule, span.key).find((e) => flags.has(e) && !cleared.has(e));
    spans.set(carried ?? id, span);
  }
  const stamp = versioning ? { rulesVersion: versioning.version } : {};
  const decided: ChurnRiskEvent[] = [];

  for (const [episodeId, { flag, index }] of flags) {
    if (cleared.has(episodeId) || spans.has(episodeId)) continue;
    const { reason, at } = staleEnd(flag, index, history, trace, versioning);
    decided.push(clear(flag.data.rule, episodeId, latest(at, flag.occurredAt), reason, stamp));
  }

  for (const [episodeId, span] of spans) {
    const flaggedAt = flags.get(episodeId)?.flag.occurredAt ?? span.since;
    if (!flags.has(episodeId)) decided.push(flagOf(episodeId, span, stamp));
    if (span.endedAt !== null && !cleared.has(episodeId)) {
      decided.push(clear(span.rule, episodeId, latest(span.endedAt, flaggedAt), span.endReason ?? CONDITION_GONE_REASON, stamp));
    }
  }
  // Stable: at equal instants a clear keeps its place before the flag that follows it.
  return decided.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
}

/** The id of a rule's episode under its definition in force, and under each earlier one. */
function episodeIds(customerId: string, versioning: ChurnRulesVersioning | undefined) {
  const idAt = (rule: string, key: string, revisions: readonly number[], index: number) =>
    churnRiskEpisodeId(customerId, rule, key, index === 0 ? undefined : revisions[index]);
  return {
    current(rule: string, key: string): string {
      const revisions = versioning?.revisions.get(rule) ?? [];
      return idAt(rule, key, revisions, Math.max(0, revisions.length - 1));
    },
    earlier(rule: string, key: string): string[] {
      const revisions = versioning?.revisions.get(rule) ?? [];
      return revisions.slice(0, -1).map((_, index) => idAt(rule, key, revisions, index));
    },
  };
}

/** Whether the flag was raised under an earlier definition of its rule than the one in force. */
function raisedUnderEarlierDefinition(flag: ChurnRiskFlagged, versioning: ChurnRulesVersioning | undefined): boolean {
  const revisions = versioning?.revisions.get(flag.data.rule);
  if (!revisions || revisions.length < 2) return false;
  const raisedBy = flag.data.rulesVersion ?? revisions[0];
  const revisionThen = revisions.filter((r) => r <= raisedBy).pop() ?? revisions[0];
  return revisionThen !== revisions[revisions.length - 1];
}

function staleEnd(
  flag: ChurnRiskFlagged,
  index: number,
  history: readonly JourneyEvent[],
  trace: ChurnRiskTrace,
  versioning: ChurnRulesVersioning | undefined,
): { reason: string; at: string } {
  if (trace.churnedAt !== null) return { reason: CUSTOMER_CHURNED_REASON, at: trace.churnedAt };
  if (!trace.rules.some((rule) => rule.id === flag.data.rule)) return { reason: RULE_REMOVED_REASON, at: trace.at };
  if (versioning && raisedUnderEarlierDefinition(flag, versioning)) return { reason: ruleChangedReason(versioning.version), at: trace.at };
  const now = Date.parse(trace.at);
  let lastArrival = Number.NEGATIVE_INFINITY;
  for (const event of history.slice(index + 1)) {
    if (event.type === 'ChurnRiskFlagged' || event.type === 'ChurnRiskCleared') continue;
    const at = Date.parse(event.occurredAt);
    if (at <= now) lastArrival = Math.max(lastArrival, at);
  }
  return { reason: CONDITION_GONE_REASON, at: Number.isFinite(lastArrival) ? new Date(lastArrival).toISOString() : trace.at };
}

function flagOf(episodeId: string, span: ChurnRiskSpan, stamp: { rulesVersion?: number }): ChurnRiskFlagged {
  return {
    type: 'ChurnRiskFlagged',
    eventId: episodeId,
    occurredAt: span.since,
    data: { rule: span.rule, reason: span.reason, evidence: span.evidence, episodeId, ...stamp },
  };
}

function clear(rule: string, episodeId: string, occurredAt: string, reason: string, stamp: { rulesVersion?: number }): ChurnRiskCleared {
  return { type: 'ChurnRiskCleared', eventId: churnRiskClearedEventId(episodeId), occurredAt, data: { rule, reason, episodeId, ...stamp } };
}

function latest(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b;
}
