import type { PropertyPath } from '../mapping/segment-mapping';

/**
 * Values read from a message's properties or traits: by own property only, through plain objects
 * only (a path never walks into an array or through a prototype), and coerced only where Segment's
 * clients commonly differ (an order id sent as a number, a score as "9").
 */
export function readPath(object: Record<string, unknown>, path: PropertyPath): unknown {
  let value: unknown = object;
  for (const part of path) {
    if (!isPlainObject(value) || !Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = value[part];
  }
  return value;
}

/** The first of the paths whose value is present (not undefined, not null). */
export function firstPresent(object: Record<string, unknown>, paths: readonly PropertyPath[]): { path: PropertyPath; value: unknown } | undefined {
  for (const path of paths) {
    const value = readPath(object, path);
    if (value !== undefined && value !== null) return { path, value };
  }
  return undefined;
}

/** Text, or a number taken as its digits; blank text is none. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

const DECIMAL = /^-?\d{1,16}(\.\d{1,16})?$/;

/** A finite number, or a decimal written as text ("199000", "9.5"). */
export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  return typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : undefined;
}

/** A feedback score: a number (or decimal text), or true/false on the yes-no scale. */
export function asScore(value: unknown): number | boolean | undefined {
  if (typeof value === 'boolean') return value;
  return asNumber(value);
}

/** The properties a rule keeps on the touchpoint, by own name; none present: undefined. */
export function keptProperties(properties: Record<string, unknown>, keep: readonly string[]): Record<string, unknown> | undefined {
  const kept: Record<string, unknown> = {};
  let any = false;
  for (const name of keep) {
    if (name === '__proto__' || !Object.prototype.hasOwnProperty.call(properties, name)) continue;
    kept[name] = properties[name];
    any = true;
  }
  return any ? kept : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
