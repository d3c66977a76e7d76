import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { derivedEventId } from '@journeyline/journey';
import { columnFields, type ColumnMapping } from './column-mapping';
import { detectDelimiter, firstLine } from './csv-delimiter';
import { csvRows } from './csv-rows';
import { SNIFF_BYTES, sniffContent } from './file-sniff';
import { ImportFileError } from './import-error';
import { formatOfFileName, type ImportFormat } from './import-format';
import { decimalSeparatorFor, type DecimalSeparator } from './import-numbers';
import { ndjsonLines } from './ndjson-lines';
import { cellText, rowAsWireEvent, type Cell, type RowReading } from './row-event';
import { xlsxRows } from './xlsx-rows';

/** A file to import: on disk (the CLI) or in memory (an upload). */
export interface EventFileSource {
  /** Its name, for messages and for the format its extension says. */
  name: string;
  size: number;
  /** Its first bytes (up to SNIFF_BYTES). */
  head(): Uint8Array;
  open(): Readable;
}

export function fileOnDisk(file: string): EventFileSource {
  const size = fs.statSync(file).size;
  return {
    name: path.basename(file),
    size,
    head() {
      const fd = fs.openSync(file, 'r');
      try {
        const buffer = Buffer.alloc(Math.min(size, SNIFF_BYTES));
        return buffer.subarray(0, fs.readSync(fd, buffer, 0, buffer.length, 0));
      } finally {
        fs.closeSync(fd);
      }
    },
    open: () => fs.createReadStream(file),
  };
}

export function fileInMemory(bytes: Buffer, name: string): EventFileSource {
  return { name, size: bytes.length, head: () => bytes.subarray(0, SNIFF_BYTES), open: () => Readable.from([bytes]) };
}

export interface FileReading {
  /** Forced; otherwise from the name's extension, else from the content. */
  format?: ImportFormat;
  /** CSV: forced; otherwise read from the header line. */
  delimiter?: string;
  /** Luxon tokens: `occurredAt` text is read with this format only. */
  dateFormat?: string;
  columns?: ColumnMapping;
  /** Zone of dates without an offset. */
  timeZone: string;
  /** A rejects file of an earlier import (`.rejected.csv`): its last column, `reason`, is left out. */
  rejectsFile?: boolean;
}

/** Where a record came from, for the rejects file: an NDJSON line, or a row's cells. */
export type RecordSource = { text: string } | { cells: readonly Cell[] };

/**
 * One record of the file: the wire event it holds (and the eventId it gets if it has none), or why
 * it could not be read. `line` is an NDJSON line, or a row as a spreadsheet numbers it (the header
 * is row 1; a cell with line breaks is still one row).
 */
export type FileRecord = { line: number; source: RecordSource } & ({ event: Record<string, unknown>; eventIdWhenAbsent: string } | { error: string });

export interface EventFile {
  format: ImportFormat;
  /** CSV and .xlsx: the header row as the file has it. */
  header: readonly string[] | null;
  /** CSV: its separator. */
  delimiter: string | null;
  size: number;
  records: AsyncIterable<FileRecord>;
  /** Bytes of the file read so far. */
  bytesRead(): number;
}

/**
 * Opens a file of events for import: NDJSON (one wire event per line), CSV (`,` `;` tab or `|`,
 * detected from the header line; a byte-order mark; quoted line breaks) or the first worksheet of
 * an .xlsx workbook, both with a header row naming each column's field (column-mapping.ts). What
 * cannot be imported at all is refused here, before any record is read, with an ImportFileError
 * of one line: a binary file, text that is not UTF-8, a workbook that is text or text that is a
 * workbook, a mapping that names no field or no column of the file.
 *
 * A record without an eventId gets one derived from its content and line (in Journeyline's own
 * id namespace, see derived-ids.ts), so importing the same file again, or resuming, records
 * nothing twice.
 */
export async function openEventFile(source: EventFileSource, reading: FileReading): Promise<EventFile> {
  const head = source.head();
  const sniffed = sniffContent(head, head.length >= source.size);
  if (sniffed.kind === 'refused') throw new ImportFileError(`${source.name} is ${sniffed.reason}`);
  const text = sniffed.kind === 'text' ? new TextDecoder().decode(head) : '';
  const format = reading.format ?? formatOfFileName(source.name) ?? (sniffed.kind === 'zip' ? 'xlsx' : /^\ufeff?\s*\{/.test(text) ? 'ndjson' : 'csv');
  if (format === 'xlsx' && sniffed.kind !== 'zip')
    throw new ImportFileError(`${source.name} is text, not an .xlsx workbook: import it as CSV or NDJSON`, 'format');
  if (format !== 'xlsx' && sniffed.kind === 'zip')
    throw new ImportFileError(`${source.name} is a ZIP archive (an .xlsx workbook?), not ${format.toUpperCase()} text: import it as xlsx`, 'format');
  if (format === 'ndjson') {
    for (const [option, given] of [
      ['delimiter', reading.delimiter],
      ['dateFormat', reading.dateFormat],
      ['columns', reading.columns],
    ] as const) {
      if (given !== undefined) throw new ImportFileError(`${option} applies to CSV and .xlsx files; NDJSON lines are wire events as they are`, option);
    }
  }

  let read = 0;
  const counted = source.open().pipe(
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        read += chunk.length;
        done(null, chunk);
      },
    }),
  );
  const base = { format, size: source.size, bytesRead: () => read };
  if (format === 'ndjson') return { ...base, header: null, delimiter: null, records: ndjsonRecords(counted) };
  const delimiter = format === 'csv' ? (reading.delimiter ?? detectDelimiter(firstLine(text))) : null;
  const rows: AsyncIterator<SourceRow> = format === 'csv' ? csvRows(counted, delimiter!)[Symbol.asyncIterator]() : xlsxRows(counted)[Symbol.asyncIterator]();
  const first = await rows.next();
  const header = first.done ? [] : first.value.cells.map(cellText);
  let fields: (string | null)[];
  try {
    fields = columnFields(header, reading.columns);
  } catch (error) {
    await rows.return?.();
    throw error;
  }
  if (reading.rejectsFile && header[header.length - 1]?.trim() === 'reason') fields[fields.length - 1] = null;
  const rowReading: RowReading = {
    fields,
    timeZone: reading.timeZone,
    dateFormat: reading.dateFormat,
    decimal: format === 'csv' ? decimalSeparatorFor(delimiter!) : ('unknown' satisfies DecimalSeparator),
  };
  return { ...base, header, delimiter, records: rowRecords(rows, header, rowReading) };
}

async function* ndjsonRecords(input: Readable): AsyncGenerator<FileRecord> {
  for await (const { text, line } of ndjsonLines(input)) {
    const source = { text };
    let event: unknown;
    try {
      event = JSON.parse(text);
    } catch (error) {
      yield { line, source, error: `malformed JSON: ${(error as Error).message}` };
      continue;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) yield { line, source, error: 'malformed JSON: not a JSON object' };
    else yield { line, source, event: event as Record<string, unknown>, eventIdWhenAbsent: importEventId(text, line) };
  }
}

/** A row of a CSV file or worksheet: `line` is its row number as a spreadsheet shows it; `endLine`, where it ends in a CSV file, is what earlier versions derived ids from. */
interface SourceRow {
  cells: Cell[];
  line: number;
  endLine?: number;
}

async function* rowRecords(rows: AsyncIterator<SourceRow>, header: readonly string[], reading: RowReading): AsyncGenerator<FileRecord> {
  try {
    for (let next = await rows.next(); !next.done; next = await rows.next()) {
      const { cells, line, endLine } = next.value;
      const source = { cells };
      const extra = cells.slice(header.length).filter((cell) => cell !== null && cell !== '').length;
      if (extra > 0) {
        yield {
          line,
          source,
          error: `the row has ${cells.length} cells and the header ${header.length} columns: a separator too many, or a cell without a column name`,
        };
        continue;
      }
      const converted = rowAsWireEvent(cells, reading);
      if ('error' in converted) {
        yield { line, source, error: converted.error };
        continue;
      }
      // the same text as earlier versions hashed (the row by column name), so a file imported before is recognised
      const raw = JSON.stringify(Object.fromEntries(header.map((name, i) => [name, cellText(cells[i])])));
      yield { line, source, event: converted.event, eventIdWhenAbsent: importEventId(raw, endLine ?? line) };
    }
  } finally {
    await rows.return?.();
  }
}

function importEventId(raw: string, line: number): string {
  return derivedEventId('import', createHash('sha256').update(raw).digest('hex').slice(0, 20), line);
}
