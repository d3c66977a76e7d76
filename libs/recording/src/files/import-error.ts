/**
 * The file as a whole cannot be imported (a binary file, text that is not UTF-8, a workbook that
 * does not open, a CSV quote never closed, a column mapping naming no known field): one line that
 * says what is wrong and what to do. `option` names the setting at fault (`columns`,
 * `delimiter`, `dateFormat`, `format`), or `file` when it is the file itself.
 */
export class ImportFileError extends Error {
  constructor(
    message: string,
    readonly option: 'file' | 'format' | 'columns' | 'delimiter' | 'dateFormat' = 'file',
  ) {
    super(message);
    this.name = 'ImportFileError';
  }
}
