import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { problem, quoted } from '../http/problem';
import { contentTypeOf, dashboardDir, isApiPath, resolveAsset } from './dashboard-assets';
import { Public } from '../access/requires.decorator';

/**
 * Serves the built dashboard at `/`: its files as they are, and `index.html` for every other
 * GET outside the API, so a shared link such as `/customers/c-000042?lang=vi` opens the page it
 * names. Registered as a catch-all: Fastify's router always prefers the API's own routes.
 */
@Controller()
@Public()
export class DashboardStaticController {
  private readonly root = dashboardDir();

  @Get('*')
  async serve(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const urlPath = request.url.split('?')[0];
    if (isApiPath(urlPath)) {
      const reason = `Cannot GET ${quoted(urlPath)}`;
      throw new NotFoundException(problem(404, reason, [{ field: 'path', reason }]));
    }
    const asset = resolveAsset(this.root, urlPath);
    // read after it was found: a new build (a deploy) may have replaced it since; then it is as missing
    const body = asset ? await fs.promises.readFile(asset.file).catch(() => null) : null;
    if (asset && body) {
      reply
        .header('cache-control', asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
        .header('x-content-type-options', 'nosniff')
        .type(contentTypeOf(asset.file))
        .send(body);
      return;
    }
    if (path.posix.extname(urlPath) !== '') {
      // A missing script or image must fail as itself, not arrive as an HTML page.
      reply.status(404).type('text/plain; charset=utf-8').send(`not found: ${urlPath}`);
      return;
    }
    const index = path.join(this.root, 'index.html');
    let html: Buffer;
    try {
      html = await fs.promises.readFile(index);
    } catch {
      reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>Journeyline</title><p>The dashboard is not built yet: run <code>npm run build:dashboard</code> (or <code>npm start</code>, which builds it) and reload.</p>',
        );
      return;
    }
    reply.header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').type('text/html; charset=utf-8').send(html);
  }
}
