import type {} from '@fastify/cookie';
import { Controller, Delete, HttpCode, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { SESSION_COOKIE } from '../credentials';
import { Public } from '../requires.decorator';

/** DELETE /api/v1/session: signs the dashboard out (the cookie is cleared; the key itself stays valid). */
@Controller('api/v1/session')
export class EndSessionController {
  @Delete()
  @HttpCode(200)
  @Public()
  end(@Res({ passthrough: true }) reply: FastifyReply): { signedOut: true } {
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
    return { signedOut: true };
  }
}
