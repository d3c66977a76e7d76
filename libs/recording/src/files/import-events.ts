import type { EventStore } from '@journeyline/event-store';
import type { CustomerCommand } from '@journeyline/journey';
import { CustomerStateCache } from '../record/customer-state-cache';
import type { RecordedEvent, RecordOptions } from '../record/record-customer-events';
import { recordOrSetAside } from '../record/record-or-set-aside';
import { parseWireEvent } from '../wire/wire-event-parser';
import type { WireLimits } from '../wire/wire-event-shape';
import type { EventFile, FileRecord, RecordSource } from './event-file';
import { isSourceDerivedEventId } from './source-event-ids';

/** A record set aside: its line, why, and what it held (for the rejects file). */
export interface RejectedRecord {
  line: number;
  reason: string;
  source: RecordSource;
  /** The event it held, when it was one. */
  event?: Record<string, unknown>;
}

export interface ImportTotals {
  /** Records read (blank lines and empty rows aside). */
  records: number;
  stored: number;
  duplicates: number;
  rejected: number;
}

export interface ImportOptions {
  store: EventStore;
  /** Personal fields are sealed on the way in, as on every write path. */
  personal: RecordOptions['personal'];
  states?: CustomerStateCache;
  timeZone: string;
  limits?: WireLimits;
  /** Events per store transaction (default 1,000). */
  batchSize?: number;
  /** Asked after each batch: true ends the import there (what is stored stays; running it again resumes). */
  shouldStop?: () => boolean;
  onRejected: (rejected: RejectedRecord) => void;
  /** After each batch: what it recorded (stored, not duplicates). */
  onRecorded?: (recorded: readonly RecordedEvent[]) => void;
  /** The totals so far: after each batch and every 1,000 records. */
  onProgress?: (totals: Readonly<ImportTotals>) => void;
}

/**
 * The import of a file, whatever reads it (the CLI, an upload): each record checked by the wire
 * format, then recorded in batches through `recordOrSetAside` (the write path of every source,
 * sealing personal data); a record that is not an event, fails the check or breaks a journey
 * rule is set aside with the reason and the rest is recorded. Throws only when the import itself
 * fails (the file cannot be read on, the store is unavailable): what was recorded before stays,
 * and importing the file again resumes.
 */
export async function importEvents(file: EventFile, options: ImportOptions): Promise<ImportTotals & { stopped: boolean }> {
  const batchSize = options.batchSize ?? 1000;
  const states = options.states ?? new CustomerStateCache();
  const totals: ImportTotals = { records: 0, stored: 0, duplicates: 0, rejected: 0 };
  // Rejects wait for their batch, so that they are reported in the file's order whatever set them aside.
  let rejects: (RejectedRecord & { seq: number })[] = [];
  const reject = (rejected: RejectedRecord, seq: number) => {
    totals.rejected++;
    rejects.push({ ...rejected, seq });
  };
  let batch: { seq: number; line: number; command: CustomerCommand; source: RecordSource; event: Record<string, unknown> }[] = [];
  const flush = async () => {
    const { recorded, setAside } =
      batch.length === 0
        ? { recorded: [], setAside: [] }
        : await recordOrSetAside(
            options.store,
            batch.map((b) => b.command),
            { personal: options.personal, states },
          );
    for (const aside of setAside) {
      const { seq, line, source, event } = batch[aside.index];
      reject({ line, reason: aside.rule ? `${aside.rule}: ${aside.detail}` : aside.detail, source, event }, seq);
    }
    for (const { seq: _seq, ...rejected } of rejects.sort((a, b) => a.seq - b.seq)) options.onRejected(rejected);
    rejects = [];
    const fresh: RecordedEvent[] = [];
    for (const r of recorded) {
      if (!r) continue;
      if (r.duplicate) totals.duplicates++;
      else {
        totals.stored++;
        fresh.push(r);
      }
    }
    batch = [];
    if (fresh.length > 0) options.onRecorded?.(fresh);
    options.onProgress?.(totals);
    // SQLite calls never give the event loop a turn: a server importing a large file still answers between batches
    await new Promise((resolve) => setImmediate(resolve));
  };
  for await (const record of file.records) {
    const seq = totals.records++;
    if (totals.records % 1000 === 0) options.onProgress?.(totals);
    if ('error' in record) reject({ line: record.line, reason: record.error, source: record.source }, seq);
    else take(record, seq);
    if (batch.length + rejects.length >= batchSize) await flush();
    if (options.shouldStop?.()) {
      await flush();
      return { ...totals, stopped: true };
    }
  }
  await flush();
  return { ...totals, stopped: false };

  function take(record: Extract<FileRecord, { event: unknown }>, seq: number): void {
    const id = Object.prototype.hasOwnProperty.call(record.event, 'eventId') ? record.event.eventId : undefined;
    const keptId = isSourceDerivedEventId(id) ? id : undefined;
    const event = keptId ? Object.fromEntries(Object.entries(record.event).filter(([key]) => key !== 'eventId')) : record.event;
    const parsed = parseWireEvent(event, record.line, {
      timeZone: options.timeZone,
      now: new Date(),
      limits: options.limits,
      eventIdWhenAbsent: keptId ?? record.eventIdWhenAbsent,
    });
    if (parsed.ok) batch.push({ seq, line: record.line, command: parsed.command, source: record.source, event: record.event });
    else reject({ line: record.line, reason: parsed.errors.map((e) => `${e.field}: ${e.reason}`).join('; '), source: record.source, event: record.event }, seq);
  }
}
