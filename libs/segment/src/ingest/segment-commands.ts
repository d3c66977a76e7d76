import type { NewEvent } from '@journeyline/event-store';
import type { CustomerCommand } from '@journeyline/journey';
import { parseWireEvent, timeWasDefaulted, type FieldError, type WireLimits } from '@journeyline/recording';
import type { SegmentMapping } from '../mapping/segment-mapping';
import type { SegmentFieldError, SegmentMessage } from '../messages/segment-message';
import { messageTime } from '../messages/segment-time';
import { translateMessage } from '../translate/translate-message';
import { MAX_ITEMS_PER_MESSAGE, unmappedItem, type UnmappedItem, type WireDraft } from '../translate/translation';
import { unmappedRecord } from '../unmapped/unmapped-record';

export interface SegmentIngestContext {
  timeZone: string;
  /** When the request arrived: Segment's `receivedAt`, and "now" for the wire format's checks. */
  receivedAt: Date;
  limits?: WireLimits;
}

export interface UnmappedMessage {
  message: SegmentMessage;
  items: UnmappedItem[];
  /** For the `segment-unmapped` stream. */
  record: NewEvent;
}

export interface SegmentCommands {
  /** In message order; each message's merges first. */
  commands: CustomerCommand[];
  /** The message each command comes from (same order as `commands`). */
  origins: SegmentMessage[];
  unmapped: UnmappedMessage[];
  /** What makes the request malformed (a message's time the wire format refuses): the request is a 400. */
  errors: SegmentFieldError[];
}

/**
 * Messages → customer commands, through the wire format every source shares (libs/recording's
 * parser: the same checks, limits and defaults as HTTP, Kafka and import), under the derived
 * eventIds of segment-event-ids.ts. A draft the wire format refuses is never dropped silently:
 * optional fields it finds wrong are left out, else the raw touchpoint is recorded instead when it
 * has one, and either way the message is listed as unmapped with the reason. Never throws.
 */
export function segmentCommands(messages: readonly SegmentMessage[], mapping: SegmentMapping, context: SegmentIngestContext): SegmentCommands {
  const result: SegmentCommands = { commands: [], origins: [], unmapped: [], errors: [] };
  for (const message of messages) {
    const time = messageTime(message, context.receivedAt.getTime());
    if (time.at > context.receivedAt.getTime() + MAX_AHEAD_MS) {
      const field = `${message.at}timestamp`;
      const reason = `${field} is more than 24 hours ahead of this server's clock (after the correction by sentAt); check the sender's clock`;
      result.errors.push({ field, reason, index: message.index, ...(message.messageId ? { messageId: message.messageId } : {}) });
      continue;
    }
    const occurredAt = new Date(time.at).toISOString();
    const translation = translateMessage(message, mapping);
    const items = [...translation.unmapped];
    for (const draft of translation.drafts) {
      for (let candidate: WireDraft | undefined = draft; candidate; candidate = candidate.fallback) {
        const outcome = parseDraft(candidate, message, occurredAt, context);
        if ('command' in outcome) {
          if (time.byServerClock) timeWasDefaulted.add(outcome.command);
          result.commands.push(outcome.command);
          result.origins.push(message);
          items.push(...outcome.leftOut);
          break;
        }
        if ('errors' in outcome) {
          result.errors.push(...outcome.errors);
          break;
        }
        const then = candidate.fallback ? 'recorded as a raw touchpoint instead' : 'not recorded';
        items.push(unmappedItem(candidate.subject.kind, candidate.subject.name, `${outcome.refused}: ${then}`));
      }
    }
    if (items.length > 0) {
      const kept = items.slice(0, MAX_ITEMS_PER_MESSAGE);
      result.unmapped.push({ message, items: kept, record: unmappedRecord(message, occurredAt, kept) });
    }
  }
  return result;
}

type DraftOutcome = { command: CustomerCommand; leftOut: UnmappedItem[] } | { refused: string } | { errors: SegmentFieldError[] };

/** The message fields the wire envelope's fields come from, to name them in a 400. */
const ENVELOPE_SOURCES: Readonly<Record<string, string>> = { occurredAt: 'timestamp', customerId: 'userId', type: 'type', eventId: 'messageId' };
const MAX_REASON = 300;
/** As the wire format: an event may be at most a day ahead of the server's clock. */
const MAX_AHEAD_MS = 24 * 3_600_000;

function parseDraft(draft: WireDraft, message: SegmentMessage, occurredAt: string, context: SegmentIngestContext): DraftOutcome {
  let data = draft.data;
  const leftOut: UnmappedItem[] = [];
  for (let attempt = 0; ; attempt++) {
    const parsed = parseWireEvent({ type: draft.type, customerId: draft.customerId, occurredAt, data }, message.index, {
      timeZone: context.timeZone,
      now: context.receivedAt,
      limits: context.limits,
      eventIdWhenAbsent: draft.eventId,
    });
    if (parsed.ok) return { command: parsed.command, leftOut };
    const envelope = parsed.errors.filter((e) => !e.field.startsWith('data'));
    if (envelope.length > 0) return { errors: envelope.map((e) => requestError(e, message)) };
    const fields = [...new Set(parsed.errors.map((e) => e.field.replace(/^data\.?/, '').split(/[.[]/)[0]))];
    if (attempt > 0 || !fields.every((f) => f !== '' && draft.optional.includes(f))) return { refused: short(parsed.errors[0].reason) };
    data = Object.fromEntries(Object.entries(data).filter(([key]) => !fields.includes(key)));
    for (const field of fields) {
      const reason = parsed.errors.find((e) => e.field.replace(/^data\.?/, '').startsWith(field))!.reason;
      leftOut.push(unmappedItem(draft.subject.kind, draft.subject.name, `${short(reason)}: ${field} left out, the rest recorded`));
    }
  }
}

function requestError(error: FieldError, message: SegmentMessage): SegmentFieldError {
  const field = `${message.at}${ENVELOPE_SOURCES[error.field] ?? error.field}`;
  return { field, reason: `${field}: ${short(error.reason)}`, index: message.index, ...(message.messageId ? { messageId: message.messageId } : {}) };
}

function short(reason: string): string {
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON)}…` : reason;
}
