import { pipeline, type Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { ImportFileError } from './import-error';

/** A CSV record: its cells, its row number as a spreadsheet shows it (the header is row 1), and the line it ends on as csv-parse counts lines (a quoted cell may hold line breaks). */
export interface CsvRow {
  cells: string[];
  line: number;
  endLine: number;
}

/** A record larger than this is a quote left open, not a row: the import stops there and says so. */
const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * The records of a CSV file (csv-parse: quoted cells with separators, quotes and line breaks, a
 * UTF-8 byte-order mark, CRLF or LF). Rows of empty cells (`;;;;`, as spreadsheets write below
 * their data) are skipped. A file that cannot be read as CSV past some line throws an
 * ImportFileError naming the line.
 */
export async function* csvRows(input: Readable, delimiter: string): AsyncGenerator<CsvRow> {
  const parser = parse({
    delimiter,
    bom: true,
    info: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  // errors of the input (a file read failing) reach the parser, and so the loop below
  pipeline(input, parser, () => undefined);
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; records: number } }>) {
      if (record.every((cell) => cell === '')) continue;
      yield { cells: record, line: info.records, endLine: info.lines };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new ImportFileError(`the file cannot be read as CSV${line ? ` from line ${line}` : ''}: ${csvProblem(error)}`);
    }
    throw error;
  } finally {
    parser.destroy();
  }
}

function csvProblem(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote (") opened there is never closed';
    case 'CSV_MAX_RECORD_SIZE':
      return 'a row longer than 1 MiB (a quote (") left open?)';
    default:
      return error.message;
  }
}
