import type { EventStore, StoredEvent } from '@journeyline/event-store';
import type { CustomerCommand, Stage } from '@journeyline/journey';

/** Commands for scripted journeys in the churn-risk specs, dated on days of November 2026 (UTC). */
const command = (type: CustomerCommand['type'], eventId: string, customerId: string, occurredAt: string, data: object) =>
  ({ type, eventId, customerId, occurredAt, data }) as CustomerCommand;

export const at = (day: number, hour = 9, minute = 0) => new Date(Date.UTC(2026, 10, day, hour, minute)).toISOString();

export const visitCmd = (eventId: string, customerId: string, stage: Stage, when: string): CustomerCommand =>
  command('RecordTouchpointVisit', eventId, customerId, when, { touchpoint: `tp-${stage}`, channel: 'web', stage });
export const npsCmd = (eventId: string, customerId: string, score: number, when: string): CustomerCommand =>
  command('RecordFeedback', eventId, customerId, when, { kind: 'nps', score, scale: '0-10', touchpoint: 'email:survey', channel: 'email' });
export const cesCmd = (eventId: string, customerId: string, score: number, when: string): CustomerCommand =>
  command('RecordFeedback', eventId, customerId, when, { kind: 'ces', score, scale: '1-7', touchpoint: 'hotline', channel: 'phone' });
export const purchaseCmd = (eventId: string, customerId: string, when: string): CustomerCommand =>
  command('RecordPurchase', eventId, customerId, when, { orderId: `order-${eventId}`, amount: 1_290_000, currency: 'VND' });
export const openTicketCmd = (eventId: string, customerId: string, ticketId: string, when: string): CustomerCommand =>
  command('OpenTicket', eventId, customerId, when, { ticketId, touchpoint: 'hotline', channel: 'phone' });
export const resolveTicketCmd = (eventId: string, customerId: string, ticketId: string, when: string): CustomerCommand =>
  command('ResolveTicket', eventId, customerId, when, { ticketId });

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
