import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { Followers } from '@journeyline/platform';

/** On every read answer (GET /api/v1/…): how many events of the log the slowest read model had not applied when the request came in. */
export const BEHIND_HEADER = 'X-Journeyline-Behind';

/**
 * The server answers reads while its read models catch up with the log (after a start on a long
 * log, or behind a burst of writes): each answer says how far behind it may be, in events, so a
 * client can tell a complete answer (`0`) from one still filling. Measured before the query runs:
 * the answer is at most that far behind.
 */
@Injectable()
export class BehindHeaderInterceptor implements NestInterceptor {
  constructor(private readonly followers: Followers) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    if (request.method === 'GET' && request.routeOptions.url?.startsWith('/api/v1/')) {
      try {
        http.getResponse<FastifyReply>().header(BEHIND_HEADER, String(await this.followers.behind()));
      } catch {
        // the read models cannot be read: the query says so itself
      }
    }
    return next.handle();
  }
}
