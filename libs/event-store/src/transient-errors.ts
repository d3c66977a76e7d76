import { StoreUnavailableError, WrongExpectedRevisionError } from './event-store.errors';
import { isPostgresUnavailable } from './postgres/postgres-unavailable';

/** SQLite result codes that say "not now" (locked, disk full, read-only, I/O), not "this data is wrong". */
const SQLITE_TRANSIENT = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOMEM|INTERRUPT|NOTADB|CORRUPT)/;
const NODE_TRANSIENT = new Set(['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'EMFILE', 'ENFILE', 'EDQUOT']);

/**
 * Whether a failure is the environment's (a database down, locked or out of disk, a concurrent
 * writer) and so worth retrying as it is, rather than something about the data that will fail
 * the same way every time. Followers retry the first kind and set the second kind's event aside
 * (parked) so it cannot stop them.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof StoreUnavailableError || error instanceof WrongExpectedRevisionError) return true;
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && (SQLITE_TRANSIENT.test(code) || NODE_TRANSIENT.has(code))) return true;
  return isPostgresUnavailable(error);
}
