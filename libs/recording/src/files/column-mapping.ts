import { wireFieldNames } from '../wire/wire-event-shape';
import { ImportFileError } from './import-error';

/**
 * Which field each column of a CSV or .xlsx file holds. Without a mapping a column holds the
 * field it is named for (`customerId`, `occurredAt`, `score`, ...; letter case aside); a mapping
 * names the field for columns named otherwise (`Mã KH=customerId`), or nothing for a column to
 * leave out (`Ghi chú nội bộ=`). A column named for no field stays as it is, and the event
 * check refuses its rows with the field's name, as it refuses any unknown field.
 */
export type ColumnMapping = ReadonlyMap<string, string | null>;

/** Every field a column may hold: the envelope's and every event type's data fields. */
export function importColumns(): string[] {
  const { envelope, data } = wireFieldNames();
  return [...envelope.filter((field) => field !== 'data'), ...data];
}

/** `--columns "Mã KH=customerId,Ngày=occurredAt,Điểm=score"` (a column name holding `,` or `=` needs `--columns-file`). */
export function columnsOption(text: string): ColumnMapping {
  const entries: [string, string | null][] = [];
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.lastIndexOf('=');
    if (at <= 0)
      throw new ImportFileError(`--columns takes "column=field" pairs separated by commas; ${JSON.stringify(pair.trim().slice(0, 80))} has no "="`, 'columns');
    entries.push([pair.slice(0, at).trim(), pair.slice(at + 1).trim() || null]);
  }
  return checked(entries);
}

/** A mapping file: `{"Mã KH": "customerId", "Ngày": "occurredAt", "Ghi chú nội bộ": null}`. */
export function columnsOfJson(value: unknown): ColumnMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportFileError('a column mapping file holds one JSON object: {"column in the file": "field", ...}', 'columns');
  }
  const entries: [string, string | null][] = [];
  for (const [column, field] of Object.entries(value)) {
    if (field !== null && typeof field !== 'string')
      throw new ImportFileError(
        `the column mapping gives ${JSON.stringify(column)} a ${typeof field}; give a field name, or null to leave the column out`,
        'columns',
      );
    entries.push([column.trim(), field?.trim() || null]);
  }
  return checked(entries);
}

/** Both mappings, the second winning where both name a column. */
export function combinedColumns(first: ColumnMapping | undefined, second: ColumnMapping | undefined): ColumnMapping | undefined {
  if (!first || !second) return first ?? second;
  return new Map([...first, ...second]);
}

function checked(entries: [string, string | null][]): ColumnMapping {
  const known = importColumns();
  const unknown = entries.filter(([, field]) => field !== null && !known.includes(field)).map(([, field]) => field);
  if (unknown.length > 0) {
    throw new ImportFileError(`unknown field(s) in the column mapping: ${unknown.slice(0, 10).join(', ')}; the fields are ${known.join(', ')}`, 'columns');
  }
  return new Map(entries);
}

/**
 * The field of each column of `header` (null: left out): the mapping's, else the field its name
 * is (ignoring letter case), else its own name. Refused: a mapping naming a column the file does
 * not have, and two columns holding the same field.
 */
export function columnFields(header: readonly string[], mapping: ColumnMapping = new Map()): (string | null)[] {
  const names = header.map((name) => name.trim());
  const missing = [...mapping.keys()].filter((column) => !names.includes(column));
  if (missing.length > 0) {
    throw new ImportFileError(
      `the column mapping names column(s) the file does not have: ${missing.slice(0, 10).join(', ')}; its columns are ${names.filter(Boolean).join(', ')}`,
      'columns',
    );
  }
  const byLowerCase = new Map(importColumns().map((field) => [field.toLowerCase(), field]));
  const fields = names.map((name) => {
    if (mapping.has(name)) return mapping.get(name) ?? null;
    if (name === '') return null;
    return byLowerCase.get(name.toLowerCase()) ?? name;
  });
  const seen = new Map<string, string>();
  for (const [i, field] of fields.entries()) {
    if (field === null) continue;
    const other = seen.get(field);
    if (other !== undefined) {
      throw new ImportFileError(
        `columns ${JSON.stringify(other)} and ${JSON.stringify(names[i])} both hold ${field}; map one of them elsewhere or leave it out ("${names[i]}=")`,
        'columns',
      );
    }
    seen.set(field, names[i]);
  }
  return fields;
}
