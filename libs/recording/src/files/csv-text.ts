/** Written first in CSV files Journeyline writes, so that Excel reads them as UTF-8 (Vietnamese text included). */
export const UTF8_BOM = '\ufeff';

export type CsvValue = string | number | boolean | null | undefined;

/** One CSV line, CRLF-terminated (RFC 4180, as Excel writes it); a cell is quoted when it holds the separator, a quote, a line break or edge spaces. */
export function csvLine(cells: readonly CsvValue[], delimiter = ','): string {
  return `${cells.map((cell) => csvCell(cell, delimiter)).join(delimiter)}\r\n`;
}

function csvCell(value: CsvValue, delimiter: string): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  const quote = text.includes(delimiter) || /["\r\n]/.test(text) || /^\s|\s$/.test(text);
  return quote ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Text made inert for spreadsheets (CSV injection): a cell that starts with `=`, `+`, `-`, `@`,
 * a tab or a carriage return would be read as a formula by Excel, LibreOffice or Google Sheets,
 * so it gets a leading `'`. For text only: numbers and true/false are written as they are.
 */
export function spreadsheetSafe(value: CsvValue): CsvValue {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
