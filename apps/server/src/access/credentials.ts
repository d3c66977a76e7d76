import type {} from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';

/** The dashboard's session cookie (HttpOnly, SameSite=Strict; see start-session). */
export const SESSION_COOKIE = 'jl_session';
/** A request that changes something with only the session cookie must carry this header: a form or link on another site cannot. */
export const CSRF_HEADER = 'x-journeyline-request';

export type Credentials = { kind: 'key'; key: string } | { kind: 'session'; token: string } | { kind: 'none' } | { kind: 'malformed'; reason: string };

/**
 * How a request says who it is: `Authorization: Bearer <key>`; HTTP basic auth with the key as
 * user name (the password empty), as Segment's libraries send their write key; or the dashboard's
 * session cookie. The header wins over the cookie.
 */
export function credentialsOf(request: FastifyRequest): Credentials {
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.trim() !== '') {
    const [scheme, value = '', extra] = header.trim().split(/\s+/);
    if (extra !== undefined || value === '') return { kind: 'malformed', reason: 'send Authorization: Bearer <key>' };
    if (scheme.toLowerCase() === 'bearer') return { kind: 'key', key: value };
    if (scheme.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      const password = colon < 0 ? '' : decoded.slice(colon + 1);
      const key = user || password;
      return key ? { kind: 'key', key } : { kind: 'malformed', reason: 'basic auth carries the key as the user name' };
    }
    return { kind: 'malformed', reason: `the ${scheme.slice(0, 20)} scheme is not supported; send Authorization: Bearer <key>` };
  }
  const cookies = (request as FastifyRequest & { cookies?: Record<string, string | undefined> }).cookies;
  const token = cookies?.[SESSION_COOKIE];
  if (token) return { kind: 'session', token };
  return { kind: 'none' };
}
