import type { EventStore, StoredEvent } from '@journeyline/event-store';
import type { CustomerCommand, Stage } from '@journeyline/journey';

/** Commands for scripted journeys in the churn-risk specs, dated on days of November 2026 (UTC). */
export const at = (day: number, hour = 9, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute)).toISOString();

export const visitCmd = (eventId: string, customerId: string, stage: Stage, when: string): CustomerCommand => ({
  type: 'RecordTouchpointVisit',
  eventId,
  customerId,
  occurredAt: when,
  data: { touchpoint: `tp-${stage}`, channel: 'web', stage },
});
export const npsCmd = (eventId: string, customerId: string, score: number, when: string): CustomerCommand => ({
  type: 'RecordFeedback',
  eventId,
  customerId,
  occurredAt: when,
  data: { kind: 'nps', score, scale: '0-10', touchpoint: 'email:survey', channel: 'email' },
});
export const cesCmd = (eventId: string, customerId: string, score: number, when: string): CustomerCommand => ({
  type: 'RecordFeedback',
  eventId,
  customerId,
  occurredAt: when,
  data: { kind: 'ces', score, scale: '1-7', touchpoint: 'hotline', channel: 'phone' },
});
export const purchaseCmd = (eventId: string, customerId: string, when: string): CustomerCommand => ({
  type: 'RecordPurchase',
  eventId,
  customerId,
  occurredAt: when,
  data: { orderId: `order-${eventId}`, amount: 1_290_000, currency: 'VND' },
});
export const openTicketCmd = (eventId: string, customerId: string, ticketId: string, when: string): CustomerCommand => ({
  type: 'OpenTicket',
  eventId,
  customerId,
  occurredAt: when,
  data: { ticketId, touchpoint: 'hotline', channel: 'phone' },
});
export const resolveTicketCmd = (eventId: string, customerId: string, ticketId: string, when: string): CustomerCommand => ({
  type: 'ResolveTicket',
  eventId,
  customerId,
  occurredAt: when,
  data: { ticketId },
});

/** The churn-risk events in the log, in log order, as `{ stream, type, id, at, data }`. */
export async function churnRiskEvents(store: EventStore): Promise<Pick<StoredEvent, 'streamId' | 'type' | 'eventId' | 'occurredAt' | 'data'>[]> {
  const events = await store.readAll({ after: 0, limit: 100_000 });
  return events
    .filter((e) => e.type === 'ChurnRiskFlagged' || e.type === 'ChurnRiskCleared')
    .map(({ streamId, type, eventId, occurredAt, data }) => ({ streamId, type, eventId, occurredAt, data }));
}

/** A clock the spec moves by hand. */
export function manualClock(start: string) {
  let now = new Date(start);
  return {
    clock: () => now,
    set(instant: string) {
      now = new Date(instant);
    },
  };
}
