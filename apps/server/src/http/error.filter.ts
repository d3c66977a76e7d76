import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { isTransientError, StoreUnavailableError, WrongExpectedRevisionError } from '@journeyline/event-store';
import { diskFullCode } from '@journeyline/platform';
import { BatchRejectedError, EventIdReusedError } from '@journeyline/recording';
import { problem, type FieldProblem, type Problem } from './problem';

/**
 * Every error leaves as JSON in the one shape (`problem.ts`) with a status a client can act on:
 * 4xx names the field and what to fix, 503 says when to retry, and only a bug is a 500 (logged
 * with its stack).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body = this.toProblem(exception);
    if (body.statusCode === 503) reply.header('Retry-After', '5');
    reply.status(body.statusCode).send(body);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const fields = typeof response === 'object' ? (response as Record<string, unknown>) : {};
      const given = fields.message;
      const message = typeof response === 'string' ? response : typeof given === 'string' ? given : Array.isArray(given) ? given.join('; ') : exception.message;
      const errors = Array.isArray(fields.errors) && fields.errors.length > 0 ? fields.errors : [{ field: fieldOf(status, message), reason: message }];
      return { ...fields, ...problem(status, message, errors as FieldProblem[]) };
    }
    if (exception instanceof BatchRejectedError) {
      const [first] = exception.violations;
      const errors = exception.violations.map((v) => ({ ...v, field: 'data' }));
      return problem(422, exception.violations.length === 1 ? `${first.reason}; nothing was stored` : exception.message, errors, { rule: first.rule });
    }
    if (exception instanceof EventIdReusedError) {
      return problem(409, exception.message, [
        { index: exception.index, eventId: exception.eventId, field: 'eventId', reason: 'already used by a different event' },
      ]);
    }
    if (exception instanceof StoreUnavailableError || exception instanceof WrongExpectedRevisionError || isTransientError(exception)) {
      const message = (exception as Error).message;
      this.logger.warn({ msg: 'store unavailable', error: message });
      // A full disk is not "busy": the client retries the same, the operator has to free space.
      const full = diskFullCode(exception);
      if (full) {
        return problem(503, `the disk holding the event store is full (${full}: ${message}); nothing was stored, retry once space has been freed`, [
          { field: '', reason: 'the disk holding the event store is full; retry later' },
        ]);
      }
      return problem(503, `the event store is busy or unreachable (${message}); nothing was stored, retry in a few seconds`, [
        { field: '', reason: 'the store is unavailable; retry' },
      ]);
    }
    const fastifyStatus = (exception as { statusCode?: number })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      const message = (exception as Error).message;
      return problem(fastifyStatus, message, [{ field: fieldOf(fastifyStatus, message), reason: message }]);
    }
    this.logger.error({ msg: 'unhandled error', error: String(exception), stack: (exception as Error)?.stack });
    return problem(500, 'an unexpected error occurred; it has been logged', [{ field: '', reason: 'internal error' }]);
  }
}

/** The part of the request a refusal without a named field is about. */
function fieldOf(status: number, message: string): string {
  if (status === 404) return /^Cannot \w+ /.test(message) ? 'path' : '';
  if (status === 405) return 'method';
  if (status === 413 || /\bbody\b|JSON/i.test(message)) return 'body';
  if (status === 415) return 'content-type';
  return '';
}
