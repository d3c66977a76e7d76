import { Readable } from 'node:stream';
import { Controller, Get, Inject, Query, Req, StreamableFile } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { FastifyRequest } from 'fastify';
import { AuditTrail, type Principal as Who } from '@journeyline/access';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { checkedExportRequest, ExportRequestError, exportInstant, exportTypes, type ExportRequest } from '@journeyline/projections/export';
import { actorOf } from '../../access/actor';
import { Principal } from '../../access/principal.decorator';
import { Requires } from '../../access/requires.decorator';
import { badRequest } from '../../http/problem';
import { ExportFileQuery, type ExportStream } from './export-file.query';
import { ExportFileRequestDto } from './export-file.request.dto';

/**
 * GET /api/v1/export (read: what a campaign tool takes; every export is audited): the recorded events (NDJSON that imports again, or CSV) or the
 * customer list (CSV for a campaign tool, or NDJSON), streamed as an attachment. Every export
 * is recorded in the audit trail: it carries personal data.
 */
@Controller('api/v1/export')
@Requires('read')
export class ExportFileController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly audit: AuditTrail,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get()
  async exportFile(@Query() query: ExportFileRequestDto, @Req() request: FastifyRequest, @Principal() principal: Who): Promise<StreamableFile> {
    const exportRequest = this.requestOf(query);
    const answer = await this.queryBus.execute<ExportFileQuery, ExportStream>(new ExportFileQuery(exportRequest));
    await this.audit.record(`${exportRequest.kind}.exported`, actorOf(principal), exportRequest.customerId ?? null, { ...query });
    // a filter that matches little in a long log can stay silent longer than a connection may (JOURNEYLINE_REQUEST_TIMEOUT_MS)
    request.raw.socket?.setTimeout(0);
    return new StreamableFile(Readable.from(answer.chunks, { objectMode: false }), {
      type: answer.contentType,
      disposition: `attachment; filename="${answer.fileName}"`,
    });
  }

  private requestOf(query: ExportFileRequestDto): ExportRequest {
    try {
      return checkedExportRequest({
        kind: query.kind,
        format: query.format ?? (query.kind === 'events' ? 'ndjson' : 'csv'),
        customerId: query.customerId,
        types: query.type === undefined ? undefined : exportTypes(query.type),
        from: query.from === undefined ? undefined : exportInstant(query.from, this.config.timeZone, 'from'),
        to: query.to === undefined ? undefined : exportInstant(query.to, this.config.timeZone, 'to'),
      });
    } catch (error) {
      if (error instanceof ExportRequestError) throw badRequest(error.field, error.message);
      throw error;
    }
  }
}
