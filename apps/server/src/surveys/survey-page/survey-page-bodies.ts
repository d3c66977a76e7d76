import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { langOf, refusalPage } from './survey-page.html';

/** A survey form is a score and a comment of at most 5,000 characters: far under this. */
export const SURVEY_FORM_LIMIT = 32 * 1024;

/**
 * The survey page's form posts `application/x-www-form-urlencoded` (Nest's Fastify adapter parses
 * it). Before parsing, a POST to `/s/...` with another content type, or a body larger than a form
 * can be, is refused with a page (415, 413), as everything on these routes is answered.
 */
export function acceptSurveyForms(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      if (request.method !== 'POST' || !request.url.startsWith('/s/')) return done();
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      const length = Number(request.headers['content-length'] ?? 0);
      const hasBody = request.headers['transfer-encoding'] !== undefined || length > 0;
      const status = hasBody && type !== 'application/x-www-form-urlencoded' ? 415 : length > SURVEY_FORM_LIMIT ? 413 : 0;
      if (status === 0) return done();
      void reply
        .status(status)
        .header('cache-control', 'no-store')
        .type('text/html; charset=utf-8')
        .send(refusalPage(langOf(null, request.headers['accept-language']), 'error'));
    });
}
