import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { derivedEventId } from '@journeyline/journey';
import * as readline from 'node:readline';
import { parse } from 'csv-parse';

/**
 * One input record: its 1-based line (or CSV record) number and the wire event, with the eventId
 * it gets if it has none; or why it could not be read.
 */
export type InputRecord =
  { line: number; event: Record<string, unknown>; text: string; eventIdWhenAbsent: string } | { line: number; error: string; raw: string };

const ENVELOPE = new Set(['eventId', 'type', 'customerId', 'occurredAt']);
const NUMERIC = new Set(['amount']);

/**
 * Reads NDJSON (one wire event per line) or CSV (columns eventId, type, customerId, occurredAt and
 * the data fields by name: touchpoint, channel, stage, kind, score, scale, comment, ticketId, ...).
 * A line without an eventId gets one derived from its content and number (in Journeyline's own
 * id namespace, see derived-ids.ts), so importing the same file again, or resuming, never records
 * an event twice.
 */
export async function* readEvents(file: string, format: 'ndjson' | 'csv'): AsyncGenerator<InputRecord> {
  const stream = fs.createReadStream(file, { encoding: 'utf8' });
  if (format === 'ndjson') {
    let line = 0;
    for await (const text of readline.createInterface({ input: stream, crlfDelay: Infinity })) {
      line++;
      if (text.trim() === '') continue;
      try {
        const event = JSON.parse(text);
        if (typeof event !== 'object' || event === null || Array.isArray(event)) throw new Error('not a JSON object');
        yield { line, event, text, eventIdWhenAbsent: importEventId(text, line) };
      } catch (error) {
        yield { line, error: `malformed JSON: ${(error as Error).message}`, raw: text };
      }
    }
    return;
  }
  const parser = stream.pipe(parse({ columns: true, skip_empty_lines: true, trim: true, bom: true, info: true }));
  for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    const raw = JSON.stringify(record);
    // Entries, not assignments: a column named __proto__ must become a field (and be refused as unknown), not a prototype.
    const envelope: [string, unknown][] = [];
    const data: [string, unknown][] = [];
    for (const [column, value] of Object.entries(record)) {
      if (value === '') continue;
      if (ENVELOPE.has(column)) envelope.push([column, value]);
      else data.push([column, column === 'score' ? scoreOf(value) : NUMERIC.has(column) ? Number(value) : value]);
    }
    const event = Object.fromEntries([...envelope, ['data', Object.fromEntries(data)]]);
    yield { line: info.lines, event, text: raw, eventIdWhenAbsent: importEventId(raw, info.lines) };
  }
}

function scoreOf(value: string): number | boolean | string {
  if (value === 'true' || value === 'yes') return true;
  if (value === 'false' || value === 'no') return false;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
}

function importEventId(raw: string, line: number): string {
  return derivedEventId('import', createHash('sha256').update(raw).digest('hex').slice(0, 20), line);
}
