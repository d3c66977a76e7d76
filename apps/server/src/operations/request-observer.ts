import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Log } from '@journeyline/platform';
import type { ServerTelemetry } from './server-telemetry';

/** A request the router matched no route for: one label and one log value for all of them (their URLs are the client's, not ours). */
export const UNMATCHED_ROUTE = '(unmatched)';

const SOCKET_BYTES_AT_START = Symbol('socketBytesAtStart');
type Observed = FastifyRequest & { [SOCKET_BYTES_AT_START]?: number };

/**
 * One access-log line per answered request (`component: "http"`, `msg: "request"`): method, route
 * pattern, status, duration in ms and bytes sent; and the same request in the
 * `journeyline_http_request_duration_seconds` histogram. Never the raw URL, its query values or
 * any header: ids, e-mail addresses and search terms in them are personal data, and the
 * Authorization header is a key. 5xx answers are logged at `error`, the rest at `info`.
 */
export function observeRequests(fastify: FastifyInstance, telemetry: ServerTelemetry, log: Log): void {
  const access = log.child({ component: 'http' });
  fastify.addHook('onRequest', (request: Observed, _reply, done) => {
    request[SOCKET_BYTES_AT_START] = request.raw.socket?.bytesWritten;
    done();
  });
  fastify.addHook('onResponse', (request: Observed, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const status = reply.statusCode;
    const ms = reply.elapsedTime;
    telemetry.requests.observe({ method: request.method, route, status: String(status) }, ms / 1000);
    const line = { reqId: request.id, method: request.method, route, status, ms: Math.round(ms * 10) / 10, bytes: bytesSent(request, reply) };
    if (status >= 500) access.error(line, 'request');
    else access.info(line, 'request');
    done();
  });
}

/** Bytes written to the socket for this answer (headers and body, compressed as sent); the Content-Length where no socket counts (`inject`). */
function bytesSent(request: Observed, reply: FastifyReply): number {
  const before = request[SOCKET_BYTES_AT_START];
  const after = request.raw.socket?.bytesWritten;
  if (typeof before === 'number' && typeof after === 'number' && after >= before) return after - before;
  const length = Number(reply.getHeader('content-length'));
  return Number.isFinite(length) ? length : 0;
}
