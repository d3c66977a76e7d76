import type { Actor } from '@journeyline/access';
import type { ImportFormat } from '@journeyline/recording/files/import-format';
import type { ColumnMapping } from '@journeyline/recording/files/column-mapping';

/** Import an uploaded file of events: its bytes, its format, and how to read it (already checked). */
export class ImportFileCommand {
  constructor(
    readonly file: Buffer,
    readonly format: ImportFormat,
    readonly reading: { delimiter?: string; dateFormat?: string; columns?: ColumnMapping },
    readonly actor: Actor,
  ) {}
}

/** What became of the file's rows. */
export interface ImportSummary {
  stored: number;
  duplicates: number;
  rejected: number;
  /** The first 1,000 rows set aside: the line (NDJSON) or row (CSV, .xlsx, the header being row 1) and why. */
  rejects: { line: number; reason: string }[];
}
