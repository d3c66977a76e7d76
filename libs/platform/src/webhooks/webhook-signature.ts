import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, as Stripe and GitHub sign theirs: `x-journeyline-signature: sha256=<hex>`,
 * the HMAC-SHA256 under JOURNEYLINE_WEBHOOK_SECRET of `<timestamp>.<body>`, where the timestamp
 * (Unix seconds) is sent in `x-journeyline-timestamp`. A receiver recomputes it over the raw body
 * and refuses a timestamp older than a few minutes, so a captured request cannot be replayed.
 */
export const WEBHOOK_HEADERS = {
  signature: 'x-journeyline-signature',
  timestamp: 'x-journeyline-timestamp',
  eventId: 'x-journeyline-event-id',
  eventType: 'x-journeyline-event-type',
  attempt: 'x-journeyline-delivery-attempt',
} as const;

export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Whether a signature header is the one this secret gives for the timestamp and body. */
export function verifyWebhookSignature(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
