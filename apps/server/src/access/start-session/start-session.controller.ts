import type {} from '@fastify/cookie';
import { Body, Controller, HttpCode, HttpException, Inject, Post, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyRegistry, AuditTrail } from '@journeyline/access';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { problem } from '../../http/problem';
import { actorOf } from '../actor';
import { SESSION_COOKIE } from '../credentials';
import { RateLimits } from '../rate-limits';
import { Public } from '../requires.decorator';
import { sessionAnswer, type SessionAnswer } from '../session-answer';
import { StartSessionRequestDto } from './start-session.request.dto';

/**
 * POST /api/v1/session `{"key": "..."}`: the dashboard's sign-in. The key is checked once and
 * never kept: the answer sets a session cookie (HttpOnly, so no script can read it; SameSite=Strict,
 * so no other site's page can send it; Secure over HTTPS) signed with the key's stored hash, so
 * revoking the key ends the session. Failed attempts count against the address like any other.
 */
@Controller('api/v1/session')
export class StartSessionController {
  constructor(
    private readonly keys: ApiKeyRegistry,
    private readonly audit: AuditTrail,
    private readonly limits: RateLimits,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Post()
  @HttpCode(200)
  @Public({ rateLimited: true })
  async start(@Body() body: StartSessionRequestDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<SessionAnswer> {
    const blocked = await this.limits.signInBlocked(request);
    const principal = await this.keys.authenticate(body.key, { slow: blocked === null });
    const expiresAt = new Date(Date.now() + this.config.access.sessionHours * 3_600_000);
    const token = principal ? await this.keys.sessionFor(principal.keyId, expiresAt) : null;
    if (!principal || !token) {
      await this.limits.signInFailed(request);
      const retryAfter = blocked ?? (await this.limits.signInBlocked(request));
      if (retryAfter !== null) {
        reply.header('retry-after', String(retryAfter));
        const reason = `too many failed sign-ins from this address; retry in ${retryAfter} s`;
        throw new HttpException(problem(429, reason, [{ field: 'key', reason }]), 429);
      }
      const reason = 'the key is not valid: unknown, revoked or mistyped';
      throw new UnauthorizedException(problem(401, reason, [{ field: 'key', reason }]));
    }
    reply.setCookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'strict',
      secure: request.protocol === 'https',
      path: '/',
      expires: expiresAt,
    });
    await this.audit.record('session.started', actorOf(principal), principal.keyId, {
      address: request.ip,
      userAgent: String(request.headers['user-agent'] ?? '').slice(0, 200),
    });
    return sessionAnswer({ ...principal, via: 'session' }, expiresAt);
  }
}
