import { Controller, Get, Header, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Requires } from '../../access/requires.decorator';
import { ServerTelemetry } from '../server-telemetry';

/**
 * GET /metrics: the server's Prometheus series in the text format, for a key with the `read` scope
 * (Prometheus sends it with `authorization: { credentials: ... }` in its scrape config).
 */
@Controller('metrics')
@Requires('read')
export class ScrapeMetricsController {
  constructor(private readonly telemetry: ServerTelemetry) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.telemetry.render();
    reply.type(this.telemetry.contentType);
    return text;
  }
}
