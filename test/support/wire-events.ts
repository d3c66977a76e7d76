/** Events on the wire (POST /api/v1/events/batch) that several e2e suites send. */

/** A purchase of 250,000 VND, its order id the event id. */
export const bought = (eventId: string, customerId: string, occurredAt: string) => ({
  eventId,
  type: 'purchase.made',
  customerId,
  occurredAt,
  data: { orderId: eventId, amount: 250000, currency: 'VND' },
});
