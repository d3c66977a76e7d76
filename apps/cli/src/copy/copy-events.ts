import { appendRequestsFor, WrongExpectedRevisionError, yieldToEventLoop, type EventStore, type StoredEvent } from '@journeyline/event-store';
import { canonicalJson } from '@journeyline/event-store/canonical-json';
import { verifyCopy, type CopyVerification } from './copy-checksum';
import { readCheckpoint, writeCheckpoint } from './copy-checkpoint';

export interface CopyOptions {
  /** Source events per target append (one transaction on SQLite and PostgreSQL). Default 1,000. */
  batchSize?: number;
  /** Where progress is kept between runs (see copy-checkpoint.ts); without it a rerun starts over. */
  checkpoint?: { file: string; from: string; to: string };
  /** Asked after every batch: true stops the copy there, cleanly and resumably. */
  shouldStop?: () => boolean;
  onProgress?: (progress: CopyProgress) => void;
  /** Compare counts and checksums of both sides at the end (default true). */
  verify?: boolean;
}

export interface CopyProgress {
  /** Source position of the last event handled. */
  position: number;
  /** The source's head when the copy began: this run copies up to it. */
  head: number;
  /** Source events handled in this run. */
  read: number;
  /** ...of which appended to the target now, */
  written: number;
  /** ...and found already there (an earlier, interrupted run). */
  present: number;
  batches: number;
}

export interface CopyResult extends CopyProgress {
  stopped: boolean;
  /** Source position this run started after (0: from the beginning). */
  resumedFrom: number;
  /** Why a checkpoint on disk was not used, when it was not. */
  resumeNote?: string;
  /** Null when stopped early or not asked for. */
  verification: CopyVerification | null;
}

/** The target holds something this copy cannot reconcile with the source. */
export class CopyConflictError extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'CopyConflictError';
  }
}

/**
 * Copies every event of `source`, in its global order, into `target`: same eventIds, streams,
 * revisions, types, data and occurredAt. recordedAt is not carried over: the port lets each store
 * set it, so in the target it is the time of the copy.
 *
 * Each batch appends only the events the target does not hold yet, each stream expecting exactly
 * the revision before its first event in the source, so a target stream holding other events is a
 * CopyConflictError rather than a silently renumbered stream. Runs are resumable: events are
 * idempotent by eventId, and the checkpoint (when given) lets a rerun skip what is done.
 */
export async function copyEvents(source: EventStore, target: EventStore, options: CopyOptions = {}): Promise<CopyResult> {
  const batchSize = options.batchSize ?? 1000;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new TypeError('batch size must be a whole number ≥ 1');
  const head = await source.headPosition();
  const { after: resumedFrom, copiedBefore, note } = await resumePoint(source, target, options.checkpoint);
  const progress: CopyProgress = { position: resumedFrom, head, read: 0, written: 0, present: 0, batches: 0 };
  let stopped = false;

  while (progress.position < head) {
    const batch = (await source.readAll({ after: progress.position, limit: batchSize })).filter((event) => event.position <= head);
    if (batch.length === 0) break;
    const { written, present } = await copyBatch(target, batch);
    const last = batch[batch.length - 1];
    progress.position = last.position;
    progress.read += batch.length;
    progress.written += written;
    progress.present += present;
    progress.batches += 1;
    if (options.checkpoint) {
      const { file, from, to } = options.checkpoint;
      writeCheckpoint(file, {
        version: 1,
        from,
        to,
        position: last.position,
        lastEventId: last.eventId,
        copied: copiedBefore + progress.read,
        updatedAt: new Date().toISOString(),
      });
    }
    options.onProgress?.({ ...progress });
    await yieldToEventLoop(); // a Ctrl-C handler runs before we ask
    if (options.shouldStop?.()) {
      stopped = progress.position < head;
      break;
    }
  }

  const verification = !stopped && options.verify !== false ? await verifyCopy(source, target, head, Math.max(batchSize, 1000)) : null;
  return { ...progress, stopped, resumedFrom, resumeNote: note, verification };
}

async function copyBatch(target: EventStore, batch: StoredEvent[]): Promise<{ written: number; present: number }> {
  const there = await target.findByEventIds(batch.map((event) => event.eventId));
  for (const event of batch) {
    const stored = there.get(event.eventId);
    if (stored && !sameEvent(stored, event)) {
      throw new CopyConflictError(
        `the target holds eventId ${event.eventId} with a different body (stream ${stored.streamId}, type ${stored.type}); it is not a copy of this source`,
      );
    }
  }
  const missing = batch.filter((event) => !there.has(event.eventId));
  if (missing.length > 0) {
    try {
      await target.append(appendRequestsFor(missing));
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) {
        throw new CopyConflictError(
          `target stream ${error.streamId} is at revision ${error.actual} where the copy expected ${error.expected} (the source's revisions): ` +
            'the target holds events this copy did not write; copy into an empty store (or one holding an earlier copy of this source)',
          error,
        );
      }
      throw error;
    }
  }
  return { written: missing.length, present: batch.length - missing.length };
}

function sameEvent(a: StoredEvent, b: StoredEvent): boolean {
  return a.streamId === b.streamId && a.type === b.type && a.occurredAt === b.occurredAt && canonicalJson(a.data) === canonicalJson(b.data);
}

/** Where this run starts: after the checkpoint, if it is this copy's and the target has its last event. */
async function resumePoint(
  source: EventStore,
  target: EventStore,
  checkpoint: CopyOptions['checkpoint'],
): Promise<{ after: number; copiedBefore: number; note?: string }> {
  if (!checkpoint) return { after: 0, copiedBefore: 0 };
  const saved = readCheckpoint(checkpoint.file);
  if (saved === null) return { after: 0, copiedBefore: 0 };
  if (saved.from !== checkpoint.from || saved.to !== checkpoint.to) {
    return {
      after: 0,
      copiedBefore: 0,
      note: `${checkpoint.file} is the checkpoint of another copy (${saved.from} → ${saved.to}); starting from the beginning`,
    };
  }
  const [inSource, inTarget] = await Promise.all([source.findByEventIds([saved.lastEventId]), target.findByEventIds([saved.lastEventId])]);
  if (inSource.get(saved.lastEventId)?.position !== saved.position || !inTarget.has(saved.lastEventId)) {
    return {
      after: 0,
      copiedBefore: 0,
      note: `${checkpoint.file} does not match the stores any more; starting from the beginning (events already copied are skipped)`,
    };
  }
  return { after: saved.position, copiedBefore: saved.copied };
}
