import { BadRequestException, Body, Controller, Headers, HttpCode, HttpException, Post, Query, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import type { Principal as Who } from '@journeyline/access';
import { columnsOption } from '@journeyline/recording/files/column-mapping';
import { delimiterOption } from '@journeyline/recording/files/csv-delimiter';
import { dateFormatOption } from '@journeyline/recording/files/import-dates';
import { ImportFileError } from '@journeyline/recording/files/import-error';
import type { ImportFormat } from '@journeyline/recording/files/import-format';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { badRequest, problem, quoted } from '../../http/problem';
import { IMPORT_MEDIA_TYPES } from '../import-bodies';
import { ImportFileCommand, type ImportSummary } from './import-file.command';
import { ImportFileRequestDto } from './import-file.request.dto';

/**
 * POST /api/v1/import (admin): a file of events as the raw body, `text/csv`,
 * `application/x-ndjson`, the .xlsx type, or `application/octet-stream` with `format=`. Options
 * are checked here, before the file is read; the answer says what became of each row.
 */
@Controller('api/v1/import')
@Requires('admin')
export class ImportFileController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  async importFile(
    @Query() query: ImportFileRequestDto,
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: FastifyRequest,
    @Principal() principal: Who,
  ): Promise<ImportSummary> {
    const format = formatOf(contentType, query.format);
    if (!Buffer.isBuffer(body) || body.length === 0) throw badRequest('body', 'send the file as the request body (it was empty)');
    let reading: ImportFileCommand['reading'];
    try {
      reading = {
        delimiter: query.delimiter === undefined ? undefined : delimiterOption(query.delimiter),
        dateFormat: query.dateFormat === undefined ? undefined : dateFormatOption(query.dateFormat),
        columns: query.columns === undefined ? undefined : columnsOption(query.columns),
      };
    } catch (error) {
      if (error instanceof ImportFileError) throw badRequest(error.option, error.message);
      throw error;
    }
    // a large file takes longer to record than a connection may stay silent (JOURNEYLINE_REQUEST_TIMEOUT_MS)
    request.raw.socket?.setTimeout(0);
    return this.commandBus.execute(new ImportFileCommand(body, format, reading, actorOf(principal)));
  }
}

/** The format the content type says, or `format=` for application/octet-stream; 415 for any other type. */
function formatOf(contentType: string | undefined, format: ImportFormat | undefined): ImportFormat {
  const type = String(contentType ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (!IMPORT_MEDIA_TYPES.has(type)) {
    const reason = `send the file with content-type ${[...IMPORT_MEDIA_TYPES.keys()].join(', ')} (got "${quoted(type) || 'none'}"); JSON events go to POST /api/v1/events/batch`;
    throw new HttpException(problem(415, reason, [{ field: 'content-type', reason }]), 415);
  }
  const said = IMPORT_MEDIA_TYPES.get(type) ?? null;
  if (said === null) {
    if (format === undefined) throw badRequest('format', 'with content-type application/octet-stream, say the format: format=csv, ndjson or xlsx');
    return format;
  }
  if (format !== undefined && format !== said) {
    throw new BadRequestException(
      problem(400, `format=${format} but the content type says ${said}`, [{ field: 'format', reason: `the content type says ${said}` }]),
    );
  }
  return said;
}
