import { BadRequestException } from '@nestjs/common';
import { problem } from './problem';

/** Opaque page cursors: clients pass back `nextCursor` untouched. */
export function encodeCursor(value: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<T extends Record<string, unknown>>(cursor: string | undefined, check: (value: Record<string, unknown>) => value is T): T | null {
  if (cursor === undefined) return null;
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && check(value)) return value;
  } catch {
    // fall through to the 400 below
  }
  throw new BadRequestException(
    problem(400, 'cursor is not one this server gave out; pass nextCursor from the previous page unchanged', [{ field: 'cursor', reason: 'unknown cursor' }]),
  );
}
