/** The files `journeyline import` and `POST /api/v1/import` read. */
export const IMPORT_FORMATS = ['ndjson', 'csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export function isImportFormat(value: unknown): value is ImportFormat {
  return typeof value === 'string' && (IMPORT_FORMATS as readonly string[]).includes(value);
}

const BY_EXTENSION: Record<string, ImportFormat> = {
  ndjson: 'ndjson',
  jsonl: 'ndjson',
  json: 'ndjson',
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
};

/** The format a file name says, or null when its extension says nothing (the content decides then). */
export function formatOfFileName(name: string): ImportFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return extension !== undefined && Object.prototype.hasOwnProperty.call(BY_EXTENSION, extension) ? BY_EXTENSION[extension] : null;
}
