import type { SegmentMessage } from './segment-message';

/** When a message happened, and whether that instant depends on this server's clock (so a retry would compute another). */
export interface MessageTime {
  at: number;
  byServerClock: boolean;
}

/**
 * Segment's clock-skew correction: a client's clock may be off, but the gap between when it says it
 * sent a message (`sentAt`) and when the server received it (`receivedAt`) is that error, so
 * `timestamp = receivedAt − (sentAt − originalTimestamp)`. Without `sentAt` the client's timestamp
 * is taken as it is (server-side libraries that import history); without a timestamp, the message
 * happened when it was received.
 */
export function messageTime(message: Pick<SegmentMessage, 'timestamp' | 'sentAt'>, receivedAt: number): MessageTime {
  if (message.timestamp === null) return { at: receivedAt, byServerClock: true };
  if (message.sentAt === null) return { at: message.timestamp, byServerClock: false };
  return { at: receivedAt - (message.sentAt - message.timestamp), byServerClock: true };
}
