import { StoreUnavailableError } from '../event-store.errors';

/**
 * Which PostgreSQL failures mean "the database cannot be reached or cannot serve right now" (a
 * caller may retry later, HTTP answers 503) rather than "this request is wrong". Shared with the
 * Postgres read-model database, so both sides of the app fail the same way during an outage.
 */

/** SQLSTATE classes and codes: connection exceptions, shutdown/startup, resource exhaustion, I/O. */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-4]|57014|53...|58...|25006|40001|40P01)$/;

/** Socket-level failures Node reports while connecting or mid-query. */
const UNAVAILABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'ENOENT',
]);

/** node-postgres raises these as plain Errors without a code. */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'connection error',
  'timeout exceeded when trying to connect',
  'Client was closed and is not queryable',
  'Cannot use a pool after calling end on the pool',
  'Query read timeout',
  'terminating connection',
];

export function isPostgresUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  // Duck-typed: errors raised by Node's sockets may come from another realm (under jest, say),
  // where `instanceof Error` is false.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, errors } = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_NODE_CODES.has(code))) return true;
  if (Array.isArray(errors) && errors.some(isPostgresUnavailable)) return true; // AggregateError of a multi-address connect
  return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text));
}

/** The port's retryable error for an outage; any other error unchanged. */
export function toStoreError(error: unknown, what: string): unknown {
  if (error instanceof StoreUnavailableError || !isPostgresUnavailable(error)) return error;
  const { message, code } = error as { message?: string; code?: string };
  return new StoreUnavailableError(`${what} unavailable: ${message || code || 'connection failed'}`, error);
}
