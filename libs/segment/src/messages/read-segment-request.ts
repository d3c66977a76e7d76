import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';
import { isPlainObject } from '../translate/property-values';
import {
  MAX_BATCH_BYTES,
  MAX_ID_LENGTH,
  MAX_MESSAGE_BYTES,
  SEGMENT_TYPES,
  type SegmentFieldError,
  type SegmentMessage,
  type SegmentType,
} from './segment-message';

/** Which route a body came to: `/v1/batch`, or the single-message route of one type. */
export type SegmentRoute = 'batch' | SegmentType;

export type SegmentRequest = { ok: true; messages: SegmentMessage[] } | { ok: false; message: string; errors: SegmentFieldError[] };

/**
 * Reads the body of a Segment HTTP tracking API request: `/v1/batch` (`{"batch": [...], "sentAt",
 * "context"}`) or a single message (`/v1/track`, ...). Every field a client sends is
 * attacker-controlled: read by own property, types checked, ids limited in length and to printable
 * text. A request with any malformed message is refused whole (Segment's clients do not retry a
 * 400), naming each field. Never throws.
 */
export function readSegmentRequest(route: SegmentRoute, body: unknown): SegmentRequest {
  let parsed = body;
  // analytics.js sends its batches as text/plain (no CORS preflight): the text is the JSON.
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return refused('the body is not JSON', [{ field: 'body', reason: 'the body must be a JSON object' }]);
    }
  }
  if (!isPlainObject(parsed)) return refused('the body must be a JSON object', [{ field: 'body', reason: 'the body must be a JSON object' }]);
  if (route !== 'batch') return readMessages([parsed], route, {}, false);

  const raw = own(parsed, 'batch');
  if (!Array.isArray(raw)) return refused('a batch is {"batch": [messages]}', [{ field: 'batch', reason: 'batch must be a list of messages' }]);
  if (raw.length === 0) return refused('the batch is empty', [{ field: 'batch', reason: 'batch must hold at least one message' }]);
  const errors: SegmentFieldError[] = [];
  const sentAt = instant(own(parsed, 'sentAt'), 'sentAt', errors);
  const context = object(own(parsed, 'context'), 'context', errors);
  if (errors.length > 0) return refused(errors[0].reason, errors);
  return readMessages(raw, null, { sentAt, context }, true);
}

interface BatchDefaults {
  sentAt?: number | null;
  context?: Record<string, unknown> | null;
}

/** Errors listed at most: a batch of a thousand bad messages still gets a readable answer. */
const MAX_ERRORS = 50;

function readMessages(raws: readonly unknown[], route: SegmentType | null, defaults: BatchDefaults, inBatch: boolean): SegmentRequest {
  const errors: SegmentFieldError[] = [];
  const messages: SegmentMessage[] = [];
  let bytes = 0;
  for (let index = 0; index < raws.length && errors.length < MAX_ERRORS; index++) {
    const at = inBatch ? `batch[${index}].` : '';
    const raw = raws[index];
    const size = jsonBytes(raw);
    if (size === null || size > MAX_MESSAGE_BYTES) {
      const reason =
        size === null ? 'the message is nested too deeply' : `the message is ${size} bytes as JSON; Segment's limit is ${MAX_MESSAGE_BYTES} (32 KB)`;
      errors.push({ field: at.replace(/\.$/, '') || 'body', reason, index });
      continue;
    }
    bytes += size;
    const message = readMessage(raw, index, at, route, defaults, errors);
    if (message) messages.push(message);
  }
  if (inBatch && bytes > MAX_BATCH_BYTES) {
    errors.unshift({
      field: 'batch',
      reason: `the batch holds ${bytes} bytes of messages; Segment's limit is ${MAX_BATCH_BYTES} (500 KB): send smaller batches`,
    });
  }
  if (errors.length > 0) {
    const bad = new Set(errors.map((e) => e.index ?? -1)).size;
    return refused(inBatch ? `${bad} of ${raws.length} messages are invalid; nothing was stored` : `${errors[0].reason}; nothing was stored`, errors);
  }
  return { ok: true, messages };
}

function readMessage(
  raw: unknown,
  index: number,
  at: string,
  route: SegmentType | null,
  defaults: BatchDefaults,
  errors: SegmentFieldError[],
): SegmentMessage | null {
  const before = errors.length;
  const fail = (field: string, reason: string) => void errors.push({ field: `${at}${field}`, reason: `${at}${field} ${reason}`, index });
  if (!isPlainObject(raw)) {
    errors.push({ field: at.replace(/\.$/, '') || 'body', reason: 'each message must be a JSON object', index });
    return null;
  }
  const messageId = id(own(raw, 'messageId'), 'messageId', fail);
  const named = (error: SegmentFieldError) => (messageId ? { ...error, messageId } : error);
  const typeValue = own(raw, 'type');
  let type: SegmentType | null = route;
  if (route === null) {
    if (typeof typeValue === 'string' && (SEGMENT_TYPES as readonly string[]).includes(typeValue)) type = typeValue as SegmentType;
    else fail('type', `must be one of ${SEGMENT_TYPES.join(', ')}`);
  } else if (typeValue !== undefined && typeValue !== null && typeValue !== route) {
    fail('type', `must be ${route} on POST /v1/${route} (or be left out)`);
  }
  const userId = id(own(raw, 'userId'), 'userId', fail);
  const anonymousId = id(own(raw, 'anonymousId'), 'anonymousId', fail);
  const previousId = id(own(raw, 'previousId'), 'previousId', fail);
  const groupId = id(own(raw, 'groupId'), 'groupId', fail);
  const event = optionalText(own(raw, 'event'), 'event', fail);
  const name = optionalText(own(raw, 'name'), 'name', fail);
  const problems: SegmentFieldError[] = [];
  const properties = object(own(raw, 'properties'), `${at}properties`, problems);
  const traits = object(own(raw, 'traits'), `${at}traits`, problems);
  const context = object(own(raw, 'context'), `${at}context`, problems);
  const stated = own(raw, 'timestamp');
  const original = stated === undefined || stated === null;
  const timestamp = instant(original ? own(raw, 'originalTimestamp') : stated, `${at}${original ? 'originalTimestamp' : 'timestamp'}`, problems);
  const sentAt = instant(own(raw, 'sentAt'), `${at}sentAt`, problems);
  errors.push(...problems.map((p) => ({ ...p, index })));

  // a field already refused is not also missing
  const missing = (field: string, reason: string) => {
    if (!errors.slice(before).some((e) => e.field === `${at}${field}`)) fail(field, reason);
  };
  if (type === 'alias') {
    if (!userId) missing('userId', 'is required: alias says that previousId is userId');
    if (!previousId) missing('previousId', 'is required: alias says that previousId is userId');
  } else if (type !== null && !userId && !anonymousId && !errors.slice(before).some((e) => /\.?(userId|anonymousId)$/.test(e.field))) {
    fail('userId', 'or anonymousId is required: every message names who it is about');
  }
  if (type === 'track' && !event) missing('event', 'is required: the name of what happened');
  if (type === 'group' && !groupId) missing('groupId', 'is required: the group the user belongs to');
  for (let i = before; i < errors.length; i++) errors[i] = named(errors[i]);
  if (errors.length > before || type === null) return null;
  return {
    index,
    at,
    type,
    messageId,
    userId,
    anonymousId,
    previousId,
    groupId,
    event,
    name,
    properties: properties ?? {},
    traits: traits ?? {},
    context: context ?? defaults.context ?? {},
    timestamp,
    sentAt: sentAt ?? defaults.sentAt ?? null,
    contentDigest: messageId === null ? digest(raw) : '',
  };
}

function refused(message: string, errors: SegmentFieldError[]): SegmentRequest {
  return { ok: false, message, errors };
}

function own(object: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * An id: text (a number is taken as its digits, as Segment's clients coerce them), printable, at
 * most 200 characters. null, absent and "" mean none (analytics.js sends `"userId": null`).
 */
function id(value: unknown, field: string, fail: (field: string, reason: string) => void): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const problem =
    typeof text !== 'string'
      ? 'must be a string'
      : text.length > MAX_ID_LENGTH
        ? `is longer than ${MAX_ID_LENGTH} characters`
        : LONE_SURROGATE.test(text)
          ? 'is not well-formed Unicode (a lone UTF-16 surrogate)'
          : CONTROL.test(text)
            ? 'must not contain control characters'
            : text.trim() === ''
              ? 'must not be blank'
              : null;
  if (problem === null) return text as string;
  fail(field, problem);
  return null;
}

/** A name such as a track's event: any text (it is checked where it is used); a number is taken as its digits. */
function optionalText(value: unknown, field: string, fail: (field: string, reason: string) => void): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value;
  fail(field, 'must be a string');
  return null;
}

function object(value: unknown, field: string, errors: SegmentFieldError[]): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (isPlainObject(value)) return value;
  errors.push({ field, reason: `${field} must be a JSON object` });
  return null;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))?$/;

/** An ISO 8601 date-time on a real calendar day (UTC when it names no offset, as Segment reads it), epoch ms; null when absent. */
function instant(value: unknown, field: string, errors: SegmentFieldError[]): number | null {
  if (value === undefined || value === null) return null;
  const match = typeof value === 'string' && value.length <= 64 ? ISO_INSTANT.exec(value) : null;
  if (match) {
    const [year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = match.slice(1).map((part) => Number(part ?? 0));
    const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const ms = Date.parse(match[7] ? (value as string) : `${value as string}Z`);
    if (
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      day <= daysInMonth &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59 &&
      offsetHours <= 23 &&
      offsetMinutes <= 59 &&
      Number.isFinite(ms)
    ) {
      return ms;
    }
  }
  errors.push({ field, reason: `${field} must be an ISO 8601 date-time such as 2026-11-20T02:15:00.000Z` });
  return null;
}

/** Bytes of the value as JSON; null when it cannot be written (nested beyond the stack). */
function jsonBytes(value: unknown): number | null {
  try {
    return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
  } catch {
    return null;
  }
}

const stable = configure({ deterministic: true, maximumDepth: 32, maximumBreadth: 10_000 });
/** Fields of the transport, not of the message: a retry changes them. */
const TRANSPORT = new Set(['sentAt', 'receivedAt', 'writeKey', '_metadata']);

/** The message's content, whatever its key order, without transport fields. */
function digest(raw: Record<string, unknown>): string {
  const content: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) if (!TRANSPORT.has(key)) content[key] = raw[key];
  return createHash('sha256')
    .update(stable(content) ?? '')
    .digest('base64url')
    .slice(0, 32);
}
