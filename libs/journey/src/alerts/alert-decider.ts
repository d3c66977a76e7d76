import { alertClosedEventId, alertId, alertOpenedEventId, type AlertCloseReason, type AlertEvent, type AlertFacts, type AlertOpened } from './alert-events';
import { breachesTarget, recoveredFromBreach, type MetricReading } from './breach-rule';
import { targetBound, type Target } from './targets';

/** Per target: how many breaches it has had, and the one open now. */
export interface AlertState {
  episodes: Map<string, number>;
  open: Map<string, AlertOpened>;
}

export function foldAlerts(history: readonly AlertEvent[]): AlertState {
  const state: AlertState = { episodes: new Map(), open: new Map() };
  for (const event of history) {
    const { targetId, episode } = event.data;
    if (event.type === 'AlertOpened') {
      state.episodes.set(targetId, Math.max(state.episodes.get(targetId) ?? 0, episode));
      state.open.set(targetId, event);
    } else if (state.open.get(targetId)?.data.episode === episode) {
      state.open.delete(targetId);
    }
  }
  return state;
}

/** A target with the metric of its scope over the window (null: no answers in it). */
export interface TargetReading {
  target: Target;
  reading: MetricReading | null;
}

export interface AlertEvaluation {
  /** Every target in force, each with its reading. */
  readings: readonly TargetReading[];
  window: { from: string; to: string };
  at: string;
}

/**
 * decide(history, evaluation) → the AlertOpened / AlertClosed events that bring the alerts in
 * line with the readings: a target breached with no open alert opens its next episode; an open
 * alert whose target recovered, or is no longer in force, closes. At most one open alert per
 * target, so deciding again on the same readings adds nothing, and the ids (derived from the
 * target and the episode) make a repeat in another process a no-op at the store.
 */
export function decideAlerts(history: readonly AlertEvent[], evaluation: AlertEvaluation): AlertEvent[] {
  const state = foldAlerts(history);
  const decided: AlertEvent[] = [];
  const inForce = new Set(evaluation.readings.map((r) => r.target.targetId));
  for (const [targetId, opened] of state.open) {
    if (inForce.has(targetId)) continue;
    const { alertId: id, episode, ...facts } = opened.data;
    decided.push(closed({ ...facts, alertId: id, window: evaluation.window, at: evaluation.at }, episode, 'target-removed'));
  }
  for (const { target, reading } of evaluation.readings) {
    if (reading === null) continue;
    const open = state.open.get(target.targetId);
    if (open) {
      if (recoveredFromBreach(reading, target)) decided.push(closed(factsOf(target, reading, open.data.episode, evaluation), open.data.episode, 'recovered'));
      continue;
    }
    if (!breachesTarget(target.metric, reading, target)) continue;
    const episode = (state.episodes.get(target.targetId) ?? 0) + 1;
    decided.push({
      type: 'AlertOpened',
      eventId: alertOpenedEventId(target.targetId, episode),
      occurredAt: evaluation.at,
      data: { ...factsOf(target, reading, episode, evaluation), episode },
    });
  }
  return decided;
}

function factsOf(target: Target, reading: MetricReading, episode: number, evaluation: AlertEvaluation): AlertFacts {
  const { bound, value } = targetBound(target);
  return {
    alertId: alertId(target.targetId, episode),
    targetId: target.targetId,
    metric: target.metric,
    scope: target.scope,
    value: reading.value,
    low: reading.low,
    high: reading.high,
    n: reading.n,
    target: value,
    bound,
    window: evaluation.window,
    at: evaluation.at,
  };
}

function closed(facts: AlertFacts, episode: number, reason: AlertCloseReason): AlertEvent {
  return { type: 'AlertClosed', eventId: alertClosedEventId(facts.targetId, episode), occurredAt: facts.at, data: { ...facts, episode, reason } };
}
