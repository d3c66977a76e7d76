import { ImportFileError } from './import-error';

/** The separators a CSV file may use: Excel writes `;` where the decimal separator is a comma (Vietnamese, most of Europe). */
export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The separator of a CSV file, read from its header line: whichever of `,` `;` tab `|` occurs
 * most often outside quotes (a header names the columns, so it holds one separator fewer than it
 * has columns); `,` when none does.
 */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(CSV_DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** `--delimiter` / `delimiter=`: one of the separators, `tab` or `\t` for a tab. */
export function delimiterOption(text: string): string {
  const value = text === 'tab' || text === '\\t' ? '\t' : text;
  if (!(CSV_DELIMITERS as readonly string[]).includes(value)) {
    throw new ImportFileError(`the delimiter must be one of , ; | or tab (got ${JSON.stringify(text.slice(0, 20))})`, 'delimiter');
  }
  return value;
}

/** The first line of a text (after a byte-order mark), which names the columns. */
export function firstLine(text: string): string {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const end = text.search(/\r|\n/);
  return text.slice(start, end === -1 ? undefined : end);
}
