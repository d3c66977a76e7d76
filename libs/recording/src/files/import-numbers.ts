/**
 * Numbers as spreadsheets write them. Which of `.` and `,` is the decimal separator depends on the
 * writer's regional settings, and the CSV separator tells them: Excel writes `;`-separated files
 * exactly where the decimal separator is a comma (`1.990.000`, `1990000,50` in Vietnamese), and in
 * a `,`-separated file a number with a comma had to be quoted, as `"1,990,000"` is. A workbook
 * cell that holds a number is a number already; for text in a workbook nothing says, and the one
 * ambiguous form (`1.990`, `1,990`) is refused rather than guessed.
 */
export type DecimalSeparator = ',' | '.' | 'unknown';

const PLAIN = /^[+-]?\d+$/;
const DOT_GROUPS = /^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/;
const COMMA_GROUPS = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;
const COMMA_DECIMAL = /^[+-]?\d+,\d+$/;
const POINT_DECIMAL = /^[+-]?\d*\.\d+$/;
/** Spaces as thousands separators (also the no-break ones spreadsheets use), and the đồng sign. */
const NOISE = /[\s\u00a0\u202f]|₫|đ$/gu;

/** The decimal separator of a CSV file that uses `delimiter`. */
export function decimalSeparatorFor(delimiter: string): DecimalSeparator {
  return delimiter === ';' ? ',' : '.';
}

/** `amount`: the number the text writes, or the text itself (then the event check refuses it, saying that amount must be a number). */
export function amountOf(text: string, decimal: DecimalSeparator): number | string {
  const value = text.replace(NOISE, '');
  if (PLAIN.test(value)) return Number(value);
  const dotGroups = DOT_GROUPS.test(value);
  const commaGroups = COMMA_GROUPS.test(value);
  const oneGroup = (separator: string) => value.split(separator).length === 2;
  if (dotGroups && (value.includes(',') || !oneGroup('.') || decimal === ',')) return Number(value.replace(/\./g, '').replace(',', '.'));
  if (commaGroups && (value.includes('.') || !oneGroup(',') || decimal === '.')) return Number(value.replace(/,/g, ''));
  if ((dotGroups || commaGroups) && decimal === 'unknown') return text;
  if (COMMA_DECIMAL.test(value)) return Number(value.replace(',', '.'));
  if (POINT_DECIMAL.test(value)) return Number(value);
  return text;
}

/** `score` as the import has always read it: a number, or true/false (yes/no, có/không) on the yes-no scale. */
export function scoreOf(text: string): number | boolean | string {
  const value = text.trim().toLowerCase();
  if (value === 'true' || value === 'yes' || value === 'có') return true;
  if (value === 'false' || value === 'no' || value === 'không') return false;
  return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : text;
}
