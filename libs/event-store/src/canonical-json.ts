import { configure } from 'safe-stable-stringify';

/**
 * One text per value whatever the key order, so that a retried event whose producer rebuilt its
 * payload (and reordered keys) is still recognised as the same event. Strict: NaN, Infinity,
 * bigint, functions and cycles have no faithful JSON form, and an event log must not store a value
 * that reads back as something else.
 */
const stringify = configure({ deterministic: true, strict: true, bigint: false, circularValue: TypeError });

/** @throws TypeError for a value JSON cannot carry faithfully, whatever the library throws. */
export function canonicalJson(value: Record<string, unknown>): string {
  let text: string | undefined;
  try {
    text = stringify(value);
  } catch (error) {
    throw new TypeError(`event data is not plain JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof text !== 'string') throw new TypeError('event data must be a JSON object');
  return text;
}
