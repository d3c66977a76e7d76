import { Inject, Logger } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { PersonalData } from '@journeyline/privacy';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { exportContentType, exportFileName, exportText } from '@journeyline/projections/export';
import { ExportFileQuery, type ExportStream } from './export-file.query';

/**
 * The export as a stream of text, each page's personal fields opened on the way (the global
 * preSerialization hook in http/reveal-personal-data.ts opens JSON answers, not streams). The first chunk is read before answering: a store
 * that cannot be read then answers 503 in JSON, instead of a stream cut after its headers. A
 * failure later can only cut the stream (the client sees an incomplete response); it is logged.
 */
@QueryHandler(ExportFileQuery)
export class ExportFileHandler implements IQueryHandler<ExportFileQuery, ExportStream> {
  private readonly logger = new Logger('export');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly personal: PersonalData,
  ) {}

  async execute({ request }: ExportFileQuery): Promise<ExportStream> {
    const started = Date.now();
    let rows = 0;
    const text = exportText(request, { store: this.store, reader: this.db.reader, reveal: (value) => this.personal.reveal(value) }, (progress) => {
      rows = progress.rows;
    })[Symbol.asyncIterator]();
    const first = await text.next();
    const logger = this.logger;
    async function* chunks(): AsyncGenerator<string> {
      try {
        for (let next = first; !next.done; next = await text.next()) yield next.value;
        logger.log({ msg: 'export streamed', kind: request.kind, format: request.format, rows, ms: Date.now() - started });
      } catch (error) {
        logger.error({ msg: 'export failed part way; the stream was cut', kind: request.kind, rows, err: String(error), stack: (error as Error)?.stack });
        throw error;
      } finally {
        await text.return?.(undefined);
      }
    }
    return { contentType: exportContentType(request), fileName: exportFileName(request), chunks: chunks() };
  }
}
