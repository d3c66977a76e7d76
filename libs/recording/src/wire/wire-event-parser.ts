import { randomUUID } from 'node:crypto';
import { DEFAULT_SCALE_OF_KIND, WIRE_TO_COMMAND, withDefined, type CustomerCommand, type FeedbackKind } from '@journeyline/journey';
import { validateSync, type ValidationError } from 'class-validator';
import { DateTime } from 'luxon';
import { certainlyValidWireEvent } from './wire-event-fast-check';
import { wireShapeErrors, isPlainObject, isWellFormed, type WireLimits } from './wire-event-shape';
import { DATA_DTO, WireEventDto } from './wire-event.dto';

/** One reason an event on the wire was refused: which event, which field, why. */
export interface FieldError {
  index: number;
  eventId?: string;
  field: string;
  reason: string;
}

export interface ParseContext {
  /** Zone a timestamp without offset is read in. */
  timeZone: string;
  now: Date;
  /** Limits on free-form `properties` (JOURNEYLINE_MAX_PROPERTIES_*); default DEFAULT_WIRE_LIMITS. */
  limits?: WireLimits;
  /**
   * The eventId of an event sent without one, e.g. a Kafka message's coordinates (a derived id,
   * which the wire format itself would refuse). Default: a random UUID.
   */
  eventIdWhenAbsent?: string;
}

export type ParsedEvent = { ok: true; command: CustomerCommand } | { ok: false; errors: FieldError[] };

/**
 * Commands whose occurredAt was not sent and so is the time of receipt: a retry of such an event
 * carries another receipt time, which must not make it look like a different event.
 */
export const timeWasDefaulted = new WeakSet<CustomerCommand>();

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false } as const;
const MAX_FUTURE_MS = 24 * 3_600_000;
const OFFSET_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Validates one wire event and translates it into a customer command: timestamps normalised to
 * UTC, a missing eventId generated, a missing occurredAt taken as now, the default currency VND.
 * Three checks in turn: the shape by own properties (wire-event-shape.ts: unknown keys, text,
 * limits), then the fast check for the usual shapes, else class-validator, which words the errors.
 * Never throws for any input.
 */
export function parseWireEvent(raw: unknown, index: number, context: ParseContext): ParsedEvent {
  const shapeErrors = wireShapeErrors(raw, context.limits);
  if (shapeErrors.length > 0) {
    const eventId = isPlainObject(raw) ? shownEventId(raw) : undefined;
    return { ok: false, errors: shapeErrors.map((e) => ({ index, ...(eventId ? { eventId } : {}), ...e })) };
  }
  const { envelope, data, errors } = certainlyValidWireEvent(raw as Record<string, unknown>)
    ? { envelope: raw as WireEventDto, data: withDefined((raw as { data?: Record<string, unknown> }).data ?? {}), errors: [] as FieldError[] }
    : validateWireEvent(raw as object, index);
  const eventId = typeof envelope.eventId === 'string' ? envelope.eventId : undefined;
  if (envelope.type === 'customer.profiled' && Object.keys(data).length === 0 && errors.length === 0) {
    errors.push({
      index,
      field: 'data',
      reason: 'customer.profiled needs at least one of segment, region, ageBand, gender, acquisitionChannel, name, email, phone',
    });
  }
  let occurredAt = context.now.toISOString();
  if (envelope.occurredAt !== undefined && typeof envelope.occurredAt === 'string') {
    const instant = instantOf(envelope.occurredAt, context.timeZone);
    if (typeof instant === 'string') {
      if (!errors.some((e) => e.field === 'occurredAt')) errors.push({ index, field: 'occurredAt', reason: `occurredAt is not a valid instant: ${instant}` });
    } else if (instant > context.now.getTime() + MAX_FUTURE_MS) {
      errors.push({ index, field: 'occurredAt', reason: "occurredAt is more than 24 hours in the future; check the sender's clock and time zone" });
    } else {
      occurredAt = new Date(instant).toISOString();
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.map((e) => (eventId ? { ...e, eventId } : e)) };
  if (envelope.type === 'purchase.made' && data.currency === undefined) data.currency = 'VND';
  if (envelope.type === 'feedback.given' && data.scale === undefined) {
    const scale = DEFAULT_SCALE_OF_KIND[data.kind as FeedbackKind];
    if (scale !== undefined) data.scale = scale;
  }
  const command = {
    type: WIRE_TO_COMMAND[envelope.type],
    eventId: eventId ?? context.eventIdWhenAbsent ?? randomUUID(),
    customerId: envelope.customerId,
    occurredAt,
    data,
  } as CustomerCommand;
  if (envelope.occurredAt === undefined) timeWasDefaulted.add(command);
  return { ok: true, command };
}

/** Epoch milliseconds, or why the timestamp names no instant. */
function instantOf(timestamp: string, timeZone: string): number | string {
  // An explicit offset or Z needs no zone rules: Date.parse is exact and far cheaper than Luxon.
  if (OFFSET_TIMESTAMP.test(timestamp)) {
    const ms = Date.parse(timestamp);
    return Number.isFinite(ms) ? ms : 'the date, time or offset is out of range';
  }
  const parsed = DateTime.fromISO(timestamp, { zone: timeZone });
  return parsed.isValid ? parsed.toMillis() : `${parsed.invalidExplanation ?? parsed.invalidReason}`;
}

/**
 * The class-validator path: every rule, every error worded for the sender (exported for the
 * fast path's property test). Plain copies onto the DTO classes are all class-validator needs
 * (the wire DTOs declare no conversions), and cost a fraction of class-transformer's plainToInstance.
 */
export function validateWireEvent(raw: object, index: number): { envelope: WireEventDto; data: Record<string, unknown>; errors: FieldError[] } {
  const envelope = Object.assign(new WireEventDto(), raw);
  const errors = fieldErrorsOf(validateSync(envelope, VALIDATION), '').map((e) => ({ index, ...e }));
  const dataDto = typeof envelope.type === 'string' ? DATA_DTO.get(envelope.type) : undefined;
  let data: Record<string, unknown> = {};
  if (dataDto) {
    const instance = Object.assign(new dataDto(), isPlainObject(envelope.data) ? envelope.data : {});
    errors.push(...fieldErrorsOf(validateSync(instance, VALIDATION), 'data.').map((e) => ({ index, ...e })));
    data = withoutNulls(instance as Record<string, unknown>);
  }
  return { envelope, data, errors };
}

/**
 * The data fields sent with a value: a null optional field (what many clients send for "none")
 * is left out, as if not sent, so what is stored never holds null where a value may be absent.
 */
function withoutNulls(data: Record<string, unknown>): Record<string, unknown> {
  const present: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== undefined && value !== null) present[key] = value;
  }
  return present;
}

/** Parses a batch: the commands in order when every event is valid, else every error found. */
export function parseWireEvents(raws: readonly unknown[], context: ParseContext): { commands: CustomerCommand[]; errors: FieldError[] } {
  const commands: CustomerCommand[] = [];
  const errors: FieldError[] = [];
  raws.forEach((raw, index) => {
    const parsed = parseWireEvent(raw, index, context);
    if (parsed.ok) commands.push(parsed.command);
    else errors.push(...parsed.errors);
  });
  return { commands, errors };
}

/** Rules that only say a value must be there: a missing value's one error says so first. */
const PRESENCE_RULES = new Set(['isDefined', 'isNotEmpty', 'arrayNotEmpty']);
/** The rule `forbidNonWhitelisted` breaks: a field nobody asked for, whatever its value (null too). */
const WHITELIST_RULE = 'whitelistValidation';

/**
 * class-validator's errors as `{field, reason}`, nested fields named by their path (`data.channel`):
 * one per rule broken, one for a missing field, and `unknown(field)` for a field the whitelist
 * refuses (the wire's events and the server's query and body DTOs say it their own way).
 */
export function fieldErrorsOf(
  errors: ValidationError[],
  prefix: string,
  unknown: (field: string) => string = (field) => `unknown field ${field}: remove it (allowed fields are listed in the README)`,
): { field: string; reason: string }[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const constraints = error.constraints ?? {};
    const missing = error.value === undefined || error.value === null;
    if (missing && Object.keys(constraints).length > 0 && !(WHITELIST_RULE in constraints)) {
      // one error for a missing field, not one per rule it would have to meet ("must be shorter than 200 characters" for nothing at all)
      const rules = Object.entries(constraints)
        .filter(([name]) => !PRESENCE_RULES.has(name))
        .map(([, reason]) => reason);
      return [{ field, reason: `${error.property} is required${rules.length > 0 ? `: ${rules.join('; ')}` : ''}` }];
    }
    const own = Object.entries(constraints).map(([rule, reason]) => ({ field, reason: rule === WHITELIST_RULE ? unknown(field) : reason }));
    return [...own, ...fieldErrorsOf(error.children ?? [], `${field}.`, unknown)];
  });
}

/** The sender's eventId, to name a refused event by, when it is one a sender could mean. */
function shownEventId(raw: Record<string, unknown>): string | undefined {
  const id = Object.prototype.hasOwnProperty.call(raw, 'eventId') ? raw.eventId : undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= 128 && isWellFormed(id) ? id : undefined;
}
