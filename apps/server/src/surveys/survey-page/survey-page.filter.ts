import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { langOf, refusalPage, type Refusal } from './survey-page.html';
import { sendPage } from './survey-page.reply';

/**
 * Whatever goes wrong on a survey page (too many requests from one address, a store that is
 * unreachable, a bug) is answered as a page in the customer's language: never JSON, never a
 * stack trace. A bug is logged with its stack, as the API's own filter does.
 */
@Catch()
export class SurveyPageFilter implements ExceptionFilter {
  private readonly logger = new Logger('survey-page');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const status = exception instanceof HttpException ? exception.getStatus() : 500;
    if (status >= 500) this.logger.error({ msg: 'survey page failed', error: String(exception), stack: (exception as Error)?.stack });
    const refusal: Refusal = status === 429 ? 'busy' : status === 404 || status === 410 ? 'unavailable' : 'error';
    sendPage(reply, status >= 400 ? status : 500, refusalPage(langOf(null, request.headers['accept-language']), refusal));
  }
}
