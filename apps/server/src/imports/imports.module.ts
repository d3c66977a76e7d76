import { Module } from '@nestjs/common';
import { ImportFileController } from './import-file/import-file.controller';
import { ImportFileHandler } from './import-file/import-file.handler';

export const CommandHandlers = [ImportFileHandler];

/** Importing files of events over HTTP (admin): the upload side of `journeyline import`. */
@Module({
  controllers: [ImportFileController],
  providers: [...CommandHandlers],
})
export class ImportsModule {}
