import { amountOf, scoreOf, type DecimalSeparator } from './import-numbers';
import { occurredAtOf, type DateReading } from './import-dates';

/** A cell of a CSV row (text) or of a workbook row (text, number, true/false, date, or empty). */
export type Cell = string | number | boolean | Date | null | undefined;

export interface RowReading extends DateReading {
  /** The field each column holds (null: left out), from `columnFields`. */
  fields: readonly (string | null)[];
  decimal: DecimalSeparator;
}

const ENVELOPE: ReadonlySet<string> = new Set(['eventId', 'type', 'customerId', 'occurredAt']);

/**
 * One row as a wire event: `eventId`, `type`, `customerId`, `occurredAt` on the envelope, every
 * other field in `data`; empty cells are left out. Dates and numbers are read as spreadsheets
 * write them (import-dates.ts, import-numbers.ts); everything else is checked afterwards by the
 * wire format, exactly as an event sent over HTTP is. Built from entries, never by assignment:
 * a column named `__proto__` becomes a field (which the check refuses), not a prototype.
 */
export function rowAsWireEvent(cells: readonly Cell[], reading: RowReading): { event: Record<string, unknown> } | { error: string } {
  const envelope: [string, unknown][] = [];
  const data: [string, unknown][] = [];
  for (let i = 0; i < reading.fields.length; i++) {
    const field = reading.fields[i];
    const cell = cells[i];
    if (field === null || cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '')) continue;
    if (field === 'occurredAt') {
      const date = occurredAtOf(cell instanceof Date ? cell : cellText(cell), reading);
      if (!date.ok) return { error: date.reason };
      envelope.push([field, date.value]);
    } else {
      (ENVELOPE.has(field) ? envelope : data).push([field, valueOf(field, cell, reading.decimal)]);
    }
  }
  return { event: Object.fromEntries([...envelope, ['data', Object.fromEntries(data)]]) };
}

function valueOf(field: string, cell: Exclude<Cell, null | undefined>, decimal: DecimalSeparator): unknown {
  if (field === 'amount') return typeof cell === 'string' ? amountOf(cell, decimal) : cell instanceof Date ? cellText(cell) : cell;
  if (field === 'score') return typeof cell === 'string' ? scoreOf(cell) : cell instanceof Date ? cellText(cell) : cell;
  const text = cellText(cell);
  if (field === 'properties' && text.trimStart().startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** A cell as text, as a person reads it in the sheet (dates as `yyyy-mm-dd HH:mm:ss`, the time the cell shows). */
export function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (cell instanceof Date) return Number.isFinite(cell.getTime()) ? cell.toISOString().slice(0, 19).replace('T', ' ') : '';
  return String(cell);
}
