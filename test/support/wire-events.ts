/** Events on the wire (POST /api/v1/events/batch) that several e2e suites send. */

/** A purchase of 250,000 VND, its order id the event id. */
export const bought = (eventId: string, customerId: string, occurredAt: string) => ({
  eventId,
  type: 'purchase.made',
  customerId,
  occurredAt,
  data: { orderId: eventId, amount: 250000, currency: 'VND' },
});

/** Where an answer was given. */
export interface Place {
  touchpoint: string;
  channel: string;
  stage: string;
}

/** An NPS answer (0-10) at a place, with an optional comment. */
export const npsAnswer = (eventId: string, customerId: string, place: Place, score: number, occurredAt: string, comment?: string) => ({
  eventId,
  type: 'feedback.given',
  customerId,
  occurredAt,
  data: { kind: 'nps', score, scale: '0-10', ...place, ...(comment ? { comment } : {}) },
});
