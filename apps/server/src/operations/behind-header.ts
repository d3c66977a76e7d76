import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Followers } from '@journeyline/platform';

/** On every read answer (GET /api/v1/…): how many events of the log the slowest read model had not applied when the request came in. */
export const BEHIND_HEADER = 'X-Journeyline-Behind';

const BEHIND = Symbol('behind');
type Measured = FastifyRequest & { [BEHIND]?: number };

/**
 * The server answers reads while its read models catch up with the log (after a start on a long
 * log, or behind a burst of writes): each answer says how far behind it may be, in events, so a
 * client can tell a complete answer (`0`) from one still filling. Measured before the query runs
 * (a `preHandler` hook), written on the answer (`onSend`) when it is one: not on an error, so a
 * refused request learns nothing of the read models. Fastify hooks rather than a Nest interceptor:
 * see reveal-personal-data.ts.
 */
export function addBehindHeader(fastify: FastifyInstance, followers: Followers): void {
  fastify.addHook('preHandler', async (request: Measured) => {
    if (request.method !== 'GET' || !request.routeOptions.url?.startsWith('/api/v1/')) return;
    try {
      request[BEHIND] = await followers.behind();
    } catch {
      // the read models cannot be read: the query says so itself
    }
  });
  fastify.addHook('onSend', async (request: Measured, reply, payload) => {
    const behind = request[BEHIND];
    if (behind !== undefined && reply.statusCode < 400) reply.header(BEHIND_HEADER, String(behind));
    return payload;
  });
}
