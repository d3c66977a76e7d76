/**
 * A message of Segment's HTTP tracking API once its envelope is checked (read-segment-request.ts):
 * ids as text, times as instants, the free-form parts as plain objects read by own property only.
 * Everything else a client sends (integrations, _metadata, channel, ...) is ignored.
 */
export const SEGMENT_TYPES = ['track', 'identify', 'page', 'screen', 'alias', 'group'] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

export interface SegmentMessage {
  /** Its place in the request (0 for a single message). */
  index: number;
  /** How errors name its fields: `batch[3].` in a batch, nothing for a single message. */
  at: string;
  type: SegmentType;
  /** The client's idempotency key, or null. */
  messageId: string | null;
  userId: string | null;
  anonymousId: string | null;
  /** alias: the id that becomes `userId`. */
  previousId: string | null;
  /** group: the account the user belongs to. */
  groupId: string | null;
  /** track: the event name. */
  event: string | null;
  /** page, screen: the name. */
  name: string | null;
  properties: Record<string, unknown>;
  traits: Record<string, unknown>;
  context: Record<string, unknown>;
  /** When it happened by the client's clock (`timestamp`, else `originalTimestamp`), epoch ms. */
  timestamp: number | null;
  /** When the client sent it by the same clock (the message's `sentAt`, else the batch's), epoch ms. */
  sentAt: number | null;
  /** A digest of what the client sent, for its ids when it has no messageId. */
  contentDigest: string;
}

/** One thing wrong with a request, in the one error shape: `field` is a body path (`batch[3].userId`). */
export type SegmentFieldError = {
  field: string;
  reason: string;
  index?: number;
  messageId?: string;
};

/** Segment's own limits: a message of at most 32 KB, a batch request of at most 500 KB. */
export const MAX_MESSAGE_BYTES = 32 * 1024;
export const MAX_BATCH_BYTES = 500 * 1024;
/** The longest id Journeyline keeps (a customer id's limit). */
export const MAX_ID_LENGTH = 200;
