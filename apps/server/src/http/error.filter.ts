import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { StoreUnavailableError, WrongExpectedRevisionError } from '@journeyline/event-store';
import { BatchRejectedError, EventIdReusedError } from '@journeyline/ingestion';

interface Problem {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * Every error leaves as JSON with a status a client can act on: 4xx names what to fix, 503 says
 * when to retry, and only a bug is a 500 (logged with its stack).
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const problem = this.toProblem(exception);
    if (problem.statusCode === 503) reply.header('Retry-After', '5');
    reply.status(problem.statusCode).send(problem);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof HttpException) {
      const body = exception.getResponse();
      const status = exception.getStatus();
      return typeof body === 'object' ? ({ statusCode: status, ...body } as Problem) : { statusCode: status, error: exception.name, message: String(body) };
    }
    if (exception instanceof BatchRejectedError) {
      const [first] = exception.violations;
      return {
        statusCode: 422,
        error: 'Unprocessable Entity',
        message: exception.violations.length === 1 ? `${first.reason}; nothing was stored` : exception.message,
        rule: first.rule,
        errors: exception.violations,
      };
    }
    if (exception instanceof EventIdReusedError) {
      return { statusCode: 409, error: 'Conflict', message: exception.message, errors: [{ index: exception.index, eventId: exception.eventId, field: 'eventId', reason: 'already used by a different event' }] };
    }
    if (exception instanceof StoreUnavailableError || exception instanceof WrongExpectedRevisionError) {
      this.logger.warn({ msg: 'store unavailable', error: exception.message });
      return { statusCode: 503, error: 'Service Unavailable', message: `the event store is busy or unreachable (${exception.message}); nothing was stored, retry in a few seconds` };
    }
    const fastifyStatus = (exception as { statusCode?: number })?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return { statusCode: fastifyStatus, error: (exception as Error).name, message: (exception as Error).message };
    }
    this.logger.error({ msg: 'unhandled error', error: String(exception), stack: (exception as Error)?.stack });
    return { statusCode: 500, error: 'Internal Server Error', message: 'an unexpected error occurred; it has been logged' };
  }
}
