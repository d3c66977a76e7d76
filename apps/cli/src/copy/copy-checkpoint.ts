import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How far a copy got: the source position of the last event known to be in the target. Only a
 * shortcut: events are idempotent by eventId, so a copy that starts over (no checkpoint, a lost
 * one, a stale one) re-appends harmlessly; the checkpoint lets a resumed copy skip ahead.
 */
export interface CopyCheckpoint {
  version: 1;
  /** storeKey() of the source and the target: a checkpoint belongs to one pair. */
  from: string;
  to: string;
  /** Source position of `lastEventId`; the copy resumes after it. */
  position: number;
  lastEventId: string;
  /** Source events handled so far, over every run. */
  copied: number;
  updatedAt: string;
}

export function readCheckpoint(file: string): CopyCheckpoint | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const saved = JSON.parse(text) as Partial<CopyCheckpoint>;
    const valid =
      saved.version === 1 &&
      typeof saved.from === 'string' &&
      typeof saved.to === 'string' &&
      Number.isSafeInteger(saved.position) &&
      typeof saved.lastEventId === 'string' &&
      Number.isSafeInteger(saved.copied);
    return valid ? (saved as CopyCheckpoint) : null;
  } catch {
    return null; // a torn or hand-edited file: start over, which is always safe
  }
}

/** Written whole or not at all (write beside, then rename), so a crash never leaves half a file. */
export function writeCheckpoint(file: string, checkpoint: CopyCheckpoint): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(partial, `${JSON.stringify(checkpoint, null, 2)}\n`);
  fs.renameSync(partial, file);
}
