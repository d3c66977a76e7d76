import { getMetadataStorage } from 'class-validator';
import { WIRE_EVENT_TYPES, type WireEventType } from '@journeyline/journey';
import { DATA_DTO, WireEventDto } from './wire-event.dto';

/**
 * The first check every wire event meets (HTTP, Kafka, import, and any later source), before
 * the fast check or class-validator see it: the shape, read by own properties only.
 *
 * Class-validator finds a DTO's rules through `object.constructor` and decides which keys are
 * known through a plain object, so keys such as `constructor` or `hasOwnProperty` once let an
 * event through with no rule applied. Here every key is compared with the fields the DTOs
 * declare (read once from class-validator's own metadata, so the DTOs stay the one definition),
 * nothing is looked up through a prototype, and an event that fails this check never reaches
 * class-validator. It also refuses what no JSON-serialisable, storable event may carry: strings
 * that are not well-formed Unicode (a lone surrogate would be stored as U+FFFD, so a retry would
 * no longer match), NUL and control characters in ids and names, non-finite numbers, and
 * free-form `properties` beyond the configured depth, key count and size.
 */
export interface WireLimits {
  /** Deepest nesting of `properties` (the object itself is depth 1). */
  propertiesDepth: number;
  /** Keys and list items in `properties`, counted at every level. */
  propertiesKeys: number;
  /** Size of `properties` as JSON, in UTF-8 bytes. */
  propertiesBytes: number;
}

export const DEFAULT_WIRE_LIMITS: Readonly<WireLimits> = { propertiesDepth: 8, propertiesKeys: 256, propertiesBytes: 16_384 };

export interface ShapeError {
  field: string;
  reason: string;
}

/** Fields a DTO class declares, as class-validator knows them. */
function declaredFields(dto: new () => object): ReadonlySet<string> {
  return new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(dto, '', true, false)
      .map((m) => m.propertyName),
  );
}

const ENVELOPE_FIELDS = declaredFields(WireEventDto);
const DATA_FIELDS = new Map<string, ReadonlySet<string>>(WIRE_EVENT_TYPES.map((type) => [type, declaredFields(DATA_DTO.get(type)!)]));
/** Every field name the wire format knows, from the DTOs: the envelope's and those of any event's data. */
export function wireFieldNames(): { envelope: string[]; data: string[] } {
  return { envelope: [...ENVELOPE_FIELDS], data: [...new Set([...DATA_FIELDS.values()].flatMap((fields) => [...fields]))] };
}

/** The data fields one event type takes on the wire (an export writes these and no others). */
export function wireDataFieldsOf(type: WireEventType): ReadonlySet<string> {
  return DATA_FIELDS.get(type) ?? new Set();
}

/** Identifiers and names: printable text only. */
const PLAIN_TEXT_FIELDS = new Set([
  'eventId',
  'customerId',
  'ticketId',
  'orderId',
  'touchpoint',
  'channel',
  'segment',
  'region',
  'ageBand',
  'gender',
  'acquisitionChannel',
  'source',
  'name',
  'email',
  'phone',
  'currency',
  'kind',
  'scale',
  'stage',
  'type',
]);
/** C0 and C1 control characters; free text (comments) may hold tabs and line breaks. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const FREE_TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Errors listed per object at most: a body with thousands of unknown keys gets a readable answer. */
const MAX_ERRORS = 10;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export function isWellFormed(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Field names echoed back in errors are cut short: the sender chose them. */
function shown(name: string): string {
  const clean = isWellFormed(name) ? name : name.replace(LONE_SURROGATE, '\ufffd');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}

export function wireShapeErrors(raw: unknown, limits: WireLimits = DEFAULT_WIRE_LIMITS): ShapeError[] {
  if (!isPlainObject(raw)) return [{ field: '', reason: 'each event must be a JSON object' }];
  const errors: ShapeError[] = [];
  unknownKeys(raw, ENVELOPE_FIELDS, '', errors);
  for (const key of Object.keys(raw)) {
    if (ENVELOPE_FIELDS.has(key) && key !== 'data') textProblem(raw[key], key, errors);
  }
  const type = Object.prototype.hasOwnProperty.call(raw, 'type') ? raw.type : undefined;
  const fields = typeof type === 'string' ? DATA_FIELDS.get(type) : undefined;
  const data = Object.prototype.hasOwnProperty.call(raw, 'data') ? raw.data : undefined;
  if (data === undefined || fields === undefined) return errors;
  if (!isPlainObject(data)) {
    errors.push({ field: 'data', reason: 'data must be a JSON object' });
    return errors;
  }
  unknownKeys(data, fields, 'data.', errors);
  for (const key of Object.keys(data)) {
    if (!fields.has(key)) continue;
    if (key === 'properties' && (type as WireEventType) === 'touchpoint.visited') freeFormProblem(data[key], 'data.properties', limits, errors);
    else textProblem(data[key], `data.${key}`, errors);
  }
  return errors;
}

function unknownKeys(object: Record<string, unknown>, known: ReadonlySet<string>, prefix: string, errors: ShapeError[]): void {
  const unknown = Object.keys(object).filter((key) => !known.has(key));
  for (const key of unknown.slice(0, MAX_ERRORS)) {
    const field = `${prefix}${shown(key)}`;
    errors.push({ field, reason: `unknown field ${field}: remove it (allowed fields are listed in the README)` });
  }
  if (unknown.length > MAX_ERRORS) errors.push({ field: prefix.replace(/\.$/, ''), reason: `and ${unknown.length - MAX_ERRORS} more unknown fields` });
}

/** A string field must be well-formed Unicode, and an id or name printable. Other types are the DTOs' business. */
function textProblem(value: unknown, field: string, errors: ShapeError[]): void {
  if (typeof value !== 'string') return;
  if (!isWellFormed(value)) {
    errors.push({ field, reason: `${field} is not well-formed Unicode (it holds a lone UTF-16 surrogate); send text as UTF-8` });
    return;
  }
  const name = field.slice(field.lastIndexOf('.') + 1);
  if ((PLAIN_TEXT_FIELDS.has(name) ? CONTROL : FREE_TEXT_CONTROL).test(value)) {
    errors.push({ field, reason: `${field} must not contain control characters${PLAIN_TEXT_FIELDS.has(name) ? '' : ' (tabs and line breaks are fine)'}` });
  }
}

/**
 * `properties`: any JSON object within the limits. Walked with an explicit stack, so a deeply
 * nested value is refused, never a stack overflow; its size is measured only once its depth and
 * key count are known to be small.
 */
function freeFormProblem(value: unknown, field: string, limits: WireLimits, errors: ShapeError[]): void {
  if (value === undefined) return;
  if (!isPlainObject(value)) return; // the DTO says "must be an object"
  let keys = 0;
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: field, depth: 1 }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.value;
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return void errors.push({ field: item.path, reason: `${item.path} is not well-formed Unicode (a lone UTF-16 surrogate)` });
      if (v.includes('\u0000')) return void errors.push({ field: item.path, reason: `${item.path} must not contain NUL characters` });
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return void errors.push({ field: item.path, reason: `${item.path} must be a finite number` });
    } else if (typeof v === 'object' && v !== null) {
      if (item.depth > limits.propertiesDepth) {
        return void errors.push({ field, reason: `${field} is nested deeper than ${limits.propertiesDepth} levels (JOURNEYLINE_MAX_PROPERTIES_DEPTH)` });
      }
      if (Array.isArray(v)) {
        keys += v.length;
        if (keys > limits.propertiesKeys) {
          return void errors.push({ field, reason: `${field} has more than ${limits.propertiesKeys} keys and list items (JOURNEYLINE_MAX_PROPERTIES_KEYS)` });
        }
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${item.path}[${i}]`, depth: item.depth + 1 });
      } else {
        if (!isPlainObject(v)) return void errors.push({ field: item.path, reason: `${item.path} must be plain JSON` });
        for (const key of Object.keys(v)) {
          if (++keys > limits.propertiesKeys) {
            return void errors.push({ field, reason: `${field} has more than ${limits.propertiesKeys} keys and list items (JOURNEYLINE_MAX_PROPERTIES_KEYS)` });
          }
          const path = `${item.path}.${shown(key)}`;
          if (key === '__proto__') return void errors.push({ field: path, reason: `${path}: __proto__ is not allowed as a key` });
          if (!isWellFormed(key) || key.includes('\u0000'))
            return void errors.push({ field: path, reason: `${path}: keys must be well-formed Unicode without NUL` });
          stack.push({ value: (v as Record<string, unknown>)[key], path, depth: item.depth + 1 });
        }
      }
    } else if (typeof v !== 'boolean' && v !== null) {
      return void errors.push({ field: item.path, reason: `${item.path} must be plain JSON` });
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > limits.propertiesBytes) {
    errors.push({ field, reason: `${field} is ${bytes} bytes as JSON, more than ${limits.propertiesBytes} (JOURNEYLINE_MAX_PROPERTIES_BYTES)` });
  }
}
