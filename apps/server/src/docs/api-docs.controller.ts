import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '../access/requires.decorator';
import { problem, quoted } from '../http/problem';
import { ApiDocument } from './api-document';
import { docsAsset, DOCS_PAGE } from './docs-assets';

/**
 * GET /api/docs (Swagger UI), /api/docs/:file (its files) and /api/docs-json (the OpenAPI 3
 * document). Public: the document says which routes exist and what they take, nothing a key
 * protects (the source says as much); calling a route from the page still needs a key.
 */
@Controller('api')
@Public()
export class ApiDocsController {
  constructor(private readonly document: ApiDocument) {}

  @Get('docs-json')
  json(@Res() reply: FastifyReply): void {
    reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(this.document.text());
  }

  @Get('docs')
  page(@Res() reply: FastifyReply): void {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(DOCS_PAGE);
  }

  @Get('docs/:file')
  file(@Param('file') name: string, @Res() reply: FastifyReply): void {
    const asset = docsAsset(name);
    if (!asset) {
      const reason = `no file ${quoted(name)} here; the document is at /api/docs (browsable) and /api/docs-json`;
      throw new NotFoundException(problem(404, reason, [{ field: 'path', reason }]));
    }
    reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  }
}
