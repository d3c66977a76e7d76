/**
 * A copy of `value` without its undefined fields: an absent field and one left undefined must
 * store the same JSON, or the idempotency comparison of a retried event would see two events.
 */
export function withDefined<T extends object>(value: T): T {
  const defined: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    if (field !== undefined) defined[key] = field;
  }
  return defined as T;
}
