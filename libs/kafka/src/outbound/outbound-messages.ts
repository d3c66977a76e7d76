import type { StoredEvent } from '@journeyline/event-store';
import { customerIdOf, wireTypeOf } from '@journeyline/journey';
import type { JourneyTopics } from '../kafka-settings';

/** Which stored events leave Journeyline, and on which topic. */
const OUTBOUND = new Map<string, keyof Pick<JourneyTopics, 'stageChanges' | 'churnFlags'>>([
  ['StageEntered', 'stageChanges'],
  ['StageRegressed', 'stageChanges'],
  ['ChurnRiskFlagged', 'churnFlags'],
  ['ChurnRiskCleared', 'churnFlags'],
]);

/** Whether a stored event of this type leaves Journeyline on an outbound topic. */
export function isOutboundType(type: string): boolean {
  return OUTBOUND.has(type);
}

export const OUTBOUND_HEADERS = {
  eventId: 'x-journeyline-event-id',
  type: 'x-journeyline-event-type',
  position: 'x-journeyline-position',
  contentType: 'content-type',
} as const;

export interface OutboundMessage {
  topic: string;
  /** The customer id: one customer's changes stay in one partition, in order. */
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The value of an outbound message: the wire envelope, plus where the event sits in the log. */
export interface OutboundEvent {
  eventId: string;
  /** `stage.entered`, `stage.regressed`, `churn-risk.flagged`, `churn-risk.cleared`. */
  type: string;
  customerId: string;
  occurredAt: string;
  recordedAt: string;
  /** Global position in the event log: increases along each customer's messages. */
  position: number;
  data: Record<string, unknown>;
}

/**
 * The outbound message for a stored event, or null when the event is not published. The eventId
 * is in the value and in a header: a consumer that sees one twice (the at-least-once window, see
 * OutboundPublisher) can drop the repeat without parsing the value.
 */
export function outboundMessageOf(event: StoredEvent, topics: Pick<JourneyTopics, 'stageChanges' | 'churnFlags'>): OutboundMessage | null {
  const target = OUTBOUND.get(event.type);
  const customerId = customerIdOf(event.streamId);
  if (!target || customerId === null) return null;
  const value: OutboundEvent = {
    eventId: event.eventId,
    type: wireTypeOf(event.type),
    customerId,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    position: event.position,
    data: event.data,
  };
  return {
    topic: topics[target],
    key: customerId,
    value: JSON.stringify(value),
    headers: {
      [OUTBOUND_HEADERS.eventId]: event.eventId,
      [OUTBOUND_HEADERS.type]: value.type,
      [OUTBOUND_HEADERS.position]: String(event.position),
      [OUTBOUND_HEADERS.contentType]: 'application/json',
    },
  };
}
