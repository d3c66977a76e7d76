import { ForbiddenException, HttpException, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyRegistry, grants, type Principal } from '@journeyline/access';
import { problem } from '../http/problem';
import { credentialsOf, CSRF_HEADER } from './credentials';
import { RateLimits, setPrincipal } from './rate-limits';
import { DEFAULT_REQUIREMENT, REQUIREMENT, type Requirement } from './requires.decorator';

/**
 * Every request passes here before any pipe, handler or lookup runs: so a refusal (401 without a
 * valid key, 403 without the scope, 429 over a limit) is the same whatever the path names, and
 * never says whether a customer exists. Routes declare what they need (requires.decorator.ts);
 * one that declares nothing needs admin.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly keys: ApiKeyRegistry,
    private readonly limits: RateLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const requirement = this.reflector.getAllAndOverride<Requirement>(REQUIREMENT, [context.getHandler(), context.getClass()]) ?? DEFAULT_REQUIREMENT;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    if ('public' in requirement) {
      if (requirement.rateLimited) this.refuseOver(reply, await this.limits.public(request), 'this address');
      return true;
    }
    const principal = await this.authenticate(request, reply);
    if ('scope' in requirement && !grants(principal.scopes, requirement.scope)) {
      const reason = `this key has the scopes ${principal.scopes.join(', ')}; this route needs ${requirement.scope}`;
      throw new ForbiddenException(problem(403, reason, [{ field: 'authorization', reason }]));
    }
    setPrincipal(request, principal);
    if ('scope' in requirement && (requirement.scope === 'ingest' || requirement.scope === 'survey')) {
      this.refuseOver(reply, await this.limits.ingest(request), 'this key or address');
    }
    return true;
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const credentials = credentialsOf(request);
    if (credentials.kind === 'none') {
      throw this.unauthorized(reply, 'no key: send Authorization: Bearer <key> (an admin creates keys with POST /api/v1/keys or journeyline keys create)');
    }
    // An address that failed too often lately is refused for its failures only: a valid key still works.
    const blocked = await this.limits.signInBlocked(request);
    const failed = async (reason: string): Promise<never> => {
      await this.limits.signInFailed(request);
      this.refuseOver(reply, blocked ?? (await this.limits.signInBlocked(request)), 'this address after failed sign-ins');
      throw this.unauthorized(reply, reason);
    };
    if (credentials.kind === 'malformed') return failed(credentials.reason);
    if (credentials.kind === 'session' && request.method !== 'GET' && request.method !== 'HEAD' && request.headers[CSRF_HEADER] !== '1') {
      const reason = `a change made with the session cookie must carry the header ${CSRF_HEADER}: 1`;
      throw new ForbiddenException(problem(403, reason, [{ field: CSRF_HEADER, reason }]));
    }
    const principal =
      credentials.kind === 'key'
        ? await this.keys.authenticate(credentials.key, { slow: blocked === null })
        : await this.keys.authenticateSession(credentials.token);
    if (principal) return principal;
    return failed(
      credentials.kind === 'key' ? 'the key is not valid: unknown, revoked or mistyped' : 'the session has ended or its key was revoked: sign in again',
    );
  }

  private unauthorized(reply: FastifyReply, reason: string): HttpException {
    reply.header('www-authenticate', 'Bearer realm="journeyline"');
    return new UnauthorizedException(problem(401, reason, [{ field: 'authorization', reason }]));
  }

  private refuseOver(reply: FastifyReply, retryAfter: number | null, who: string): void {
    if (retryAfter === null) return;
    reply.header('retry-after', String(retryAfter));
    const reason = `too many requests from ${who}; retry in ${retryAfter} s`;
    throw new HttpException(problem(429, reason, [{ field: '', reason }]), 429);
  }
}
