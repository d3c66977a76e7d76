import * as fs from 'node:fs';
import { cellText, csvLine, UTF8_BOM, type EventFile, type RejectedRecord } from '@journeyline/recording/files';

/**
 * Where an import puts the records it set aside, beside the file: for CSV and .xlsx input a CSV
 * (`<file>.rejected.csv`) with the input's header and separator and a last column `reason`, to
 * fix in the same spreadsheet and import again (its `reason` column is then left out); for NDJSON,
 * `<file>.rejected.ndjson`, one `{line, reason, raw}` per line. Nothing is left behind when
 * nothing was set aside.
 */
export class RejectsFile {
  readonly path: string;
  private fd: number | null = null;
  count = 0;

  constructor(
    file: string,
    private readonly input: EventFile,
    /** The separator of a CSV written for an .xlsx input (a CSV input's own is kept). */
    private readonly delimiterForWorkbooks = ',',
  ) {
    this.path = `${file}.rejected.${input.format === 'ndjson' ? 'ndjson' : 'csv'}`;
    fs.rmSync(this.path, { force: true });
  }

  write(rejected: RejectedRecord): void {
    if (this.fd === null) {
      this.fd = fs.openSync(this.path, 'w');
      if (this.input.format !== 'ndjson') this.append(UTF8_BOM + csvLine([...(this.input.header ?? []), 'reason'], this.delimiter()));
    }
    this.count++;
    this.append(this.input.format === 'ndjson' ? `${ndjsonLine(rejected)}\n` : this.csvRow(rejected));
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private delimiter(): string {
    return this.input.delimiter ?? this.delimiterForWorkbooks;
  }

  private csvRow(rejected: RejectedRecord): string {
    const cells = 'cells' in rejected.source ? rejected.source.cells.map(cellText) : [rejected.source.text];
    while (cells.length < (this.input.header?.length ?? 0)) cells.push('');
    return csvLine([...cells, `row ${rejected.line}: ${rejected.reason}`], this.delimiter());
  }

  private append(text: string): void {
    fs.writeSync(this.fd!, text);
  }
}

function ndjsonLine(rejected: RejectedRecord): string {
  const raw = rejected.event ?? ('text' in rejected.source ? rejected.source.text : rejected.source.cells.map(cellText));
  try {
    return JSON.stringify({ line: rejected.line, reason: rejected.reason, raw });
  } catch {
    // nested too deep for JSON.stringify: keep the line as it was written
    return JSON.stringify({ line: rejected.line, reason: rejected.reason, raw: 'text' in rejected.source ? rejected.source.text : null });
  }
}
