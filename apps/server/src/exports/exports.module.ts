import { Module } from '@nestjs/common';
import { ExportFileController } from './export-file/export-file.controller';
import { ExportFileHandler } from './export-file/export-file.handler';

export const QueryHandlers = [ExportFileHandler];

/** Exports (read scope): the recorded events and the customer list, streamed as NDJSON or CSV. */
@Module({
  controllers: [ExportFileController],
  providers: [...QueryHandlers],
})
export class ExportsModule {}
