import { isWireEventType, RECORDED_FACT_TYPES, wireTypeOf, type JourneyEventType, type WireEventType } from '@journeyline/journey';
import { wireDataFieldsOf } from '../wire/wire-event-shape';

/** An event as a client sends it (HTTP body, Kafka message, NDJSON line). */
export interface WireEvent {
  eventId: string;
  type: WireEventType;
  customerId: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/**
 * A recorded fact as the wire event that records it again: its wire type, and of its data only
 * the fields the wire format takes for that type (what the decider added, such as a resolved
 * ticket's `openedAt` and `resolutionMs`, is derived again by the store that imports it). Null
 * for what no client sends: stage changes, churn-risk flags, erasures.
 */
export function factAsWireEvent(customerId: string, fact: { type: JourneyEventType; eventId: string; occurredAt: string; data: object }): WireEvent | null {
  if (!RECORDED_FACT_TYPES.has(fact.type)) return null;
  const type = wireTypeOf(fact.type);
  if (!isWireEventType(type)) return null;
  const fields = wireDataFieldsOf(type);
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fact.data)) if (fields.has(key) && value !== undefined) data[key] = value;
  return { eventId: fact.eventId, type, customerId, occurredAt: fact.occurredAt, data };
}
