import { derivedEventId } from '../derived-ids';
import type { Metric } from '../metrics/metric-definitions';
import type { TargetScope } from './targets';

/** Breaches and recoveries, in one stream of their own (never a customer's: no projection counts them as facts). */
export const ALERTS_STREAM = 'journeyline-alerts';

export const ALERT_EVENT_TYPES: ReadonlySet<string> = new Set(['AlertOpened', 'AlertClosed']);

/** What both events say: the target, the metric of its scope over the window when it was judged. */
export interface AlertFacts {
  alertId: string;
  targetId: string;
  metric: Metric;
  scope: TargetScope;
  /** The metric's value over the window, its answers and 95% interval. */
  value: number | null;
  low: number | null;
  high: number | null;
  n: number;
  /** The target's bound, and which bound it is (`min`: higher is better; `max`: lower is better). */
  target: number;
  bound: 'min' | 'max';
  /** The rolling window judged, [from, to). */
  window: { from: string; to: string };
  at: string;
}

export interface AlertOpened {
  type: 'AlertOpened';
  eventId: string;
  occurredAt: string;
  data: AlertFacts & { episode: number };
}

export interface AlertClosed {
  type: 'AlertClosed';
  eventId: string;
  occurredAt: string;
  data: AlertFacts & { episode: number; reason: AlertCloseReason };
}

/** `recovered`: the value is back on the good side; `target-removed`: no target to miss any more. */
export type AlertCloseReason = 'recovered' | 'target-removed';

export type AlertEvent = AlertOpened | AlertClosed;

/**
 * An alert is the n-th breach of its target: `alert <targetId> <n>` (a derived id, see
 * derived-ids.ts). Its opening and its closing have ids of their own derived from it, so a
 * decision made twice (a replay, a rebuild, two processes) appends nothing new.
 */
export function alertId(targetId: string, episode: number): string {
  return derivedEventId('alert', targetId, episode);
}

export function alertOpenedEventId(targetId: string, episode: number): string {
  return derivedEventId('alert', targetId, episode, 'opened');
}

export function alertClosedEventId(targetId: string, episode: number): string {
  return derivedEventId('alert', targetId, episode, 'closed');
}

/** A stored record read as an alert event, or null when it is not one. */
export function readAlertEvent(event: { type: string; eventId: string; occurredAt: string; data: Record<string, unknown> }): AlertEvent | null {
  if (!ALERT_EVENT_TYPES.has(event.type)) return null;
  const data = event.data as unknown as AlertOpened['data'];
  if (typeof data.alertId !== 'string' || typeof data.targetId !== 'string' || typeof data.episode !== 'number') return null;
  return { type: event.type, eventId: event.eventId, occurredAt: event.occurredAt, data } as AlertEvent;
}

/** The name an alert event goes by outside (webhooks, Kafka): `alert.opened`, `alert.closed`. */
export function alertWireType(type: string): string {
  return type === 'AlertOpened' ? 'alert.opened' : type === 'AlertClosed' ? 'alert.closed' : type;
}
