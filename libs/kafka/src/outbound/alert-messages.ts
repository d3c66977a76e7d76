import type { StoredEvent } from '@journeyline/event-store';
import { ALERT_EVENT_TYPES, ALERTS_STREAM, alertWireType, readAlertEvent } from '@journeyline/journey';
import type { JourneyTopics } from '../kafka-settings';
import { OUTBOUND_HEADERS, type OutboundMessage } from './outbound-messages';

/** Whether a stored event is an alert (AlertOpened, AlertClosed) that leaves on the alerts topic. */
export function isAlertOutbound(event: Pick<StoredEvent, 'type' | 'streamId'>): boolean {
  return ALERT_EVENT_TYPES.has(event.type) && event.streamId === ALERTS_STREAM;
}

/**
 * The message of a breach or a recovery on the alerts topic (`journeyline.alerts`), keyed by
 * target id so one target's alerts stay in order in one partition. The value is the event as the
 * webhooks receive it (`alert.opened` / `alert.closed`), plus its position in the log. Null when
 * no alerts topic is configured.
 */
export function alertMessageOf(event: StoredEvent, topics: Partial<Pick<JourneyTopics, 'alerts'>>): OutboundMessage | null {
  if (!topics.alerts || !isAlertOutbound(event)) return null;
  const alert = readAlertEvent(event);
  if (alert === null) throw new Error(`malformed ${event.type} ${event.eventId}: data must name alertId, targetId and episode`);
  const type = alertWireType(event.type);
  return {
    topic: topics.alerts,
    key: alert.data.targetId,
    value: JSON.stringify({
      eventId: event.eventId,
      type,
      occurredAt: event.occurredAt,
      recordedAt: event.recordedAt,
      position: event.position,
      data: event.data,
    }),
    headers: {
      [OUTBOUND_HEADERS.eventId]: event.eventId,
      [OUTBOUND_HEADERS.type]: type,
      [OUTBOUND_HEADERS.position]: String(event.position),
      [OUTBOUND_HEADERS.contentType]: 'application/json',
    },
  };
}
