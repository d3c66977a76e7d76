import type { Readable } from 'node:stream';
import { ImportFileError } from './import-error';
import type { Cell } from './row-event';

/** A row of a worksheet: its cells from the first column on, and its row number. */
export interface SheetRow {
  cells: Cell[];
  line: number;
}

/**
 * The rows of the first worksheet of an .xlsx workbook, read as a stream (exceljs' streaming
 * reader: a large workbook is never held whole). Cells come as the sheet holds them: text,
 * numbers, true/false, dates (the styles are read, so a date cell is a Date), a formula's result,
 * a link's text. A workbook that does not open throws an ImportFileError. exceljs is loaded on
 * first use: it costs a server or worker that never reads a workbook a third of a second at start.
 */
export async function* xlsxRows(input: Readable): AsyncGenerator<SheetRow> {
  const { stream } = await import('exceljs');
  const reader = new stream.xlsx.WorkbookReader(endingAfterItsEntries(input), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        const values = Array.isArray(row.values) ? row.values : [];
        const cells: Cell[] = [];
        for (let column = 1; column < values.length; column++) cells.push(cellOf(values[column]));
        if (cells.some((cell) => cell !== null && cell !== '')) yield { cells, line: row.number };
      }
      break;
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError(
      `the file is not an .xlsx workbook that opens (${error instanceof Error ? error.message : String(error)}); save it again from Excel as .xlsx, or as "CSV UTF-8"`,
    );
  } finally {
    input.destroy();
  }
  if (sheets === 0) throw new ImportFileError('the workbook has no worksheet (is it an .xlsx file?)');
}

/**
 * exceljs 4.4 unzips with unzipper 0.10's `Parse`, which emits 'end' as soon as the last byte of
 * the zip is written to it, while entries it has already parsed may still wait in its readable
 * queue. exceljs stops at that 'end': when it is still writing the first worksheet to a temporary
 * file (it does so until it has seen the shared strings), the entries after it are lost, the last
 * of them xl/workbook.xml in what Excel and exceljs write, and a good workbook fails to open
 * ("reading 'sheets'"). This turns that early 'end' into the end of the readable side: 'end' comes
 * once every entry has been read. The zip stream is the one exceljs pipes `input` into.
 */
function endingAfterItsEntries(input: Readable): Readable {
  const pipe = input.pipe.bind(input);
  input.pipe = (<T extends NodeJS.WritableStream>(zip: T, options?: { end?: boolean }): T => {
    const unzip = zip as unknown as Readable;
    const emit = unzip.emit.bind(unzip);
    unzip.emit = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event !== 'end' || unzip.readableEnded) return emit(event, ...args);
      unzip.push(null);
      return true;
    };
    return pipe(zip, options);
  }) as Readable['pipe'];
  return input;
}

function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    const rich = (value as { richText?: unknown }).richText;
    if (Array.isArray(rich)) return rich.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('');
    if ('result' in value) return cellOf((value as { result?: unknown }).result);
    if ('text' in value) return cellOf((value as { text?: unknown }).text);
    if ('error' in value) return String((value as { error?: unknown }).error);
  }
  return String(value);
}
