/**
 * A copy of `value` without its undefined fields: an absent field and one left undefined must
 * store the same JSON, or the idempotency comparison of a retried event would see two events.
 */
export function withDefined<T extends object>(value: T): T {
  // Object.keys rather than Object.entries: no array per field (this runs for every decided event)
  const defined: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    if (field !== undefined) defined[key] = field;
  }
  return defined as T;
}
