import { Query } from '@nestjs/cqrs';
import type { ExportRequest } from '@journeyline/projections/export';

/** An export on its way out: its type, its file name, and its text a chunk at a time. */
export interface ExportStream {
  contentType: string;
  fileName: string;
  chunks: AsyncIterable<string>;
}

/** The recorded events or the customer list, as NDJSON or CSV, streamed. */
export class ExportFileQuery extends Query<ExportStream> {
  constructor(readonly request: ExportRequest) {
    super();
  }
}
