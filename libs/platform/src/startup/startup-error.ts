import { isTransientError } from '@journeyline/event-store';
import type { JourneylineConfig } from '../config/journeyline-config';

const READ_ONLY = /^(SQLITE_READONLY|SQLITE_CANTOPEN|EROFS|EACCES|EPERM)/;
const FULL = /^(SQLITE_FULL|ENOSPC|EDQUOT)/;

/**
 * One line for a start-up that failed on the machine rather than on the code: a read-only or
 * full data directory, an unreachable database. Says which path or URL and what to do; no stack.
 */
export function startupFailureLine(error: unknown, config: JourneylineConfig | null): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const where =
    config?.store === 'sqlite' || !config ? `the data directory ${config?.dataDir ?? '(JOURNEYLINE_DATA_DIR)'}` : `the read models in ${config.dataDir}`;
  const syscall = (error as { syscall?: unknown })?.syscall;
  if (code && (READ_ONLY.test(code) || (code === 'ENOENT' && syscall === 'mkdir'))) {
    return `journeyline: cannot start: ${where} is not writable (${code}: ${message}); make it writable, or set JOURNEYLINE_DATA_DIR to a writable directory`;
  }
  if (code && FULL.test(code)) {
    return `journeyline: cannot start: the disk holding ${where} is full (${code}: ${message}); free some space, then start again (nothing stored is lost)`;
  }
  if (config && config.store !== 'sqlite' && isTransientError(error)) {
    return `journeyline: cannot start: the ${config.store} store cannot be reached (${message}); check JOURNEYLINE_STORE_URL and that the database is up`;
  }
  return `journeyline: failed to start: ${message}`;
}

/** The code (`SQLITE_FULL`, `ENOSPC`, `EDQUOT`) when the error is a full disk, of the error or its cause; else null. */
export function diskFullCode(error: unknown): string | null {
  const code = codeOf(error);
  return code && FULL.test(code) ? code : null;
}

/** The error's code, or its cause's (the stores wrap database errors). */
function codeOf(error: unknown): string | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && !/^(store-unavailable|wrong-expected-revision|duplicate-event-id)$/.test(code)) return code;
  }
  return null;
}
