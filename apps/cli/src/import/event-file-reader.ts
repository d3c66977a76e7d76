import * as fs from 'node:fs';
import {
  columnsOfJson,
  columnsOption,
  combinedColumns,
  dateFormatOption,
  delimiterOption,
  fileOnDisk,
  ImportFileError,
  isImportFormat,
  IMPORT_FORMATS,
  openEventFile,
  type EventFile,
} from '@journeyline/recording/files';

/** What `journeyline import` is told about the file, as typed. */
export interface ImportFileOptions {
  format?: string;
  delimiter?: string;
  dateFormat?: string;
  columns?: string;
  columnsFile?: string;
}

/**
 * Opens a file to import with the command's options, every option checked before a record is
 * read (the reading itself is libs/recording's, the same as an upload's): NDJSON, CSV or .xlsx,
 * refused in one line when it is none of them.
 */
export async function openImportFile(file: string, options: ImportFileOptions, timeZone: string): Promise<EventFile> {
  if (!fs.existsSync(file)) throw new ImportFileError(`${file} does not exist`);
  if (!fs.statSync(file).isFile()) throw new ImportFileError(`${file} is not a file`);
  if (options.format !== undefined && !isImportFormat(options.format))
    throw new ImportFileError(`--format must be one of ${IMPORT_FORMATS.join(', ')}`, 'format');
  const fromFile = options.columnsFile === undefined ? undefined : columnsOfJson(readJson(options.columnsFile));
  const fromOption = options.columns === undefined ? undefined : columnsOption(options.columns);
  return openEventFile(fileOnDisk(file), {
    format: options.format as EventFile['format'] | undefined,
    delimiter: options.delimiter === undefined ? undefined : delimiterOption(options.delimiter),
    dateFormat: options.dateFormat === undefined ? undefined : dateFormatOption(options.dateFormat),
    columns: combinedColumns(fromFile, fromOption),
    timeZone,
    rejectsFile: file.endsWith('.rejected.csv'),
  });
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ImportFileError(`--columns-file ${file} cannot be read: ${(error as Error).message}`, 'columns');
  }
  try {
    return JSON.parse(text.replace(/^\ufeff/, '')) as unknown;
  } catch (error) {
    throw new ImportFileError(`--columns-file ${file} is not JSON: ${(error as Error).message}`, 'columns');
  }
}
