import { FEEDBACK_KINDS, SCALES, STAGES, WIRE_EVENT_TYPES, type WireEventType } from '@journeyline/journey';
import { isEmail, isISO4217CurrencyCode } from 'class-validator';
import { MAX_AMOUNT } from './wire-event.dto';

/**
 * A fast, conservative twin of the wire DTOs' class-validator rules (wire-event.dto.ts), for the
 * hot ingest paths (Kafka batches, HTTP batches, imports): `true` only when the event certainly
 * passes class-validator with unknown fields forbidden. Anything unusual — an unknown field, a
 * null where a value may be left out, a string near a length limit — answers `false`, and the
 * caller runs class-validator, which alone words the errors. So this check may refuse more than
 * the DTOs do, never less; a property test (wire-event-parser.spec.ts) holds it to that, and a
 * change to a DTO that this file does not follow only costs speed.
 *
 * Class-validator spends most of its time in its metadata machinery, not in the checks: the
 * e-mail and currency checks call the very functions its decorators call. It runs after
 * wire-event-shape.ts, which has already refused unknown keys, ill-formed text and oversized
 * properties; it reads own keys only (Sets and Maps, never a plain object's prototype).
 */
export function certainlyValidWireEvent(raw: Record<string, unknown>): boolean {
  for (const key of Object.keys(raw)) {
    if (!ENVELOPE_FIELDS.has(key)) return false;
  }
  const { eventId, type, customerId, occurredAt, data } = raw;
  if (eventId !== undefined && !(typeof eventId === 'string' && eventId.length <= 128 && NO_SPACES.test(eventId))) return false;
  if (!(typeof type === 'string' && TYPES.has(type))) return false;
  if (!name(customerId)) return false;
  if (occurredAt !== undefined && !(typeof occurredAt === 'string' && plainTimestamp(occurredAt))) return false;
  if (data === undefined) return type === 'customer.reactivated' || type === 'customer.churned';
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  return DATA_CHECKS.get(type)!(data as Record<string, unknown>);
}

/**
 * The usual shape of `occurredAt` (`2026-11-20T09:15:00.123+07:00`, or `Z`) on a real calendar
 * day, which `@IsISO8601({ strict: true })` always accepts; its other forms (week dates, ordinal
 * days, no offset, years before 1000) are left to it.
 */
export function plainTimestamp(value: string): boolean {
  const match = PLAIN_TIMESTAMP.exec(value);
  if (!match) return false;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return day <= (month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : DAYS_IN_MONTH[month - 1]);
}

const PLAIN_TIMESTAMP = /^([1-9]\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

type DataCheck = (data: Record<string, unknown>) => boolean;

const ENVELOPE_FIELDS = new Set(['eventId', 'type', 'customerId', 'occurredAt', 'data']);
const TYPES = new Set<string>(WIRE_EVENT_TYPES);
const STAGE_SET = new Set<unknown>(STAGES);
const KINDS = new Set<unknown>(FEEDBACK_KINDS);
const SCALE_SET = new Set<unknown>(SCALES);
const NO_SPACES = /^[^\s]+$/;
const PHONE = /^\+?[0-9 ().-]{6,20}$/;

/** `@IsString() @IsNotEmpty() @MaxLength(200)`; `length` counts UTF-16 units, so never more lenient than MaxLength. */
function name(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= 200;
}

function text(value: unknown, max: number): boolean {
  return typeof value === 'string' && value.length <= max;
}

function object(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every key is one of `fields` and every present value passes its check (absent = undefined). */
function shape(fields: Record<string, (value: unknown) => boolean>, required: readonly string[] = []): DataCheck {
  const known = new Set(Object.keys(fields));
  return (data) => {
    for (const key of Object.keys(data)) {
      if (!known.has(key)) return false;
    }
    for (const key of required) {
      if (data[key] === undefined) return false;
    }
    for (const key in fields) {
      const value = data[key];
      if (value !== undefined && !fields[key](value)) return false;
    }
    return true;
  };
}

const stage = (value: unknown) => STAGE_SET.has(value);

const DATA_CHECKS = new Map<string, DataCheck>(
  Object.entries({
    'touchpoint.visited': shape({ touchpoint: name, channel: name, stage, properties: object }, ['touchpoint', 'channel', 'stage']),
    'feedback.given': (() => {
      const fields = shape(
        {
          kind: (v) => KINDS.has(v),
          score: (v) => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean',
          scale: (v) => SCALE_SET.has(v),
          touchpoint: name,
          channel: name,
          stage,
          comment: (v) => text(v, 5000),
          source: name,
        },
        ['kind', 'score'],
      );
      // The scale may be left out only for NPS (always 0-10) and reviews (1-5 stars); comments (no score) go the long way.
      return (data) => data.kind !== 'comment' && fields(data) && (data.scale !== undefined || data.kind === 'nps' || data.kind === 'review');
    })(),
    'ticket.opened': shape({ ticketId: name, touchpoint: name, channel: name, subject: (v) => text(v, 1000) }, ['ticketId']),
    'ticket.resolved': shape({ ticketId: name }, ['ticketId']),
    'purchase.made': shape(
      {
        orderId: name,
        amount: (v) => typeof v === 'number' && Number.isFinite(v) && v <= MAX_AMOUNT,
        currency: (v) => typeof v === 'string' && isISO4217CurrencyCode(v),
      },
      ['orderId', 'amount'],
    ),
    'customer.profiled': shape({
      segment: name,
      region: name,
      ageBand: name,
      gender: name,
      acquisitionChannel: name,
      name,
      email: (v) => typeof v === 'string' && isEmail(v, {}),
      phone: (v) => typeof v === 'string' && PHONE.test(v),
    }),
    'customer.churned': shape({ reason: (v) => text(v, 1000) }),
    'customer.reactivated': shape({}),
    'customer.merged': shape({ from: name }, ['from']),
    'customer.unmerged': shape({ from: name }, ['from']),
  } satisfies Record<WireEventType, DataCheck>),
);
