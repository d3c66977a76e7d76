import type { NewEvent } from '@journeyline/event-store';
import { segmentEventId } from '../messages/segment-event-ids';
import type { SegmentMessage, SegmentType } from '../messages/segment-message';
import { UNMAPPED_KINDS, type UnmappedItem, type UnmappedKind } from '../translate/translation';

/**
 * Unmapped messages are recorded, one event per message, in a stream of their own (never a
 * customer stream, so no journey projection counts them): the list of what to map survives a
 * restart and is rebuilt from the log like any read model. An event holds names, kinds, reasons
 * and the client's messageId only: never a property or trait value, never who the customer is.
 * Its eventId derives from the message, so a resent message is recorded once.
 */
export const SEGMENT_UNMAPPED_STREAM = 'segment-unmapped';
export const SEGMENT_UNMAPPED_TYPE = 'SegmentMessageUnmapped';

export interface UnmappedRecord {
  messageType: SegmentType;
  messageId: string | null;
  items: UnmappedItem[];
}

export function unmappedRecord(message: SegmentMessage, occurredAt: string, items: readonly UnmappedItem[]): NewEvent {
  const data: UnmappedRecord = {
    messageType: message.type,
    messageId: message.messageId,
    items: items.map(({ kind, name, reason }) => ({ kind, name, reason })),
  };
  return { eventId: segmentEventId(message, 'unmapped'), type: SEGMENT_UNMAPPED_TYPE, occurredAt, data: { ...data } };
}

const KINDS: ReadonlySet<string> = new Set(UNMAPPED_KINDS);

/** Reads a stored record's data by own property (a tolerant reader: unknown fields are ignored); null when it is not one. */
export function readUnmappedRecord(data: Record<string, unknown>): UnmappedRecord | null {
  const own = (object: Record<string, unknown>, key: string) => (Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined);
  const messageId = own(data, 'messageId');
  const messageType = own(data, 'messageType');
  const items = own(data, 'items');
  if (typeof messageType !== 'string' || (messageId !== null && typeof messageId !== 'string') || !Array.isArray(items)) return null;
  const read: UnmappedItem[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
    const kind = own(item as Record<string, unknown>, 'kind');
    const name = own(item as Record<string, unknown>, 'name');
    const reason = own(item as Record<string, unknown>, 'reason');
    if (typeof kind !== 'string' || !KINDS.has(kind) || typeof name !== 'string' || typeof reason !== 'string') return null;
    read.push({ kind: kind as UnmappedKind, name, reason });
  }
  return { messageType: messageType as SegmentType, messageId, items: read };
}
