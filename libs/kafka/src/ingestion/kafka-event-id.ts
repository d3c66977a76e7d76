import { derivedEventId } from '@journeyline/journey';

/**
 * The eventId of a message that came without one: `kafka <topic> <partition> <offset>`, the
 * message's own coordinates, in Journeyline's derived-id namespace (no client eventId can equal
 * it: see derived-ids.ts). parseWireEvent would generate a random id, which a redelivery (after a
 * crash or a rebalance, before the offset commit) would not reproduce, and the event would be
 * stored twice. Coordinates are the same on every delivery, so the store's idempotency covers
 * these messages too.
 *
 * Limits, which is why producers should send their own eventId: the same event produced twice
 * (a producer retry without idempotence) lands at two offsets and is two events; and deleting
 * and re-creating the topic restarts offsets at 0, so old ids come back with new bodies (those
 * messages then go to the dead-letter topic as `event-id-reused`).
 */
export function kafkaEventId(topic: string, partition: number, offset: string): string {
  return derivedEventId('kafka', topic, partition, offset);
}
