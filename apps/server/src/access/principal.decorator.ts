import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Principal as Who } from '@journeyline/access';
import { principalOf } from './rate-limits';

/** The key (or session) the access guard let this request in with. */
export const Principal = createParamDecorator((_data: unknown, context: ExecutionContext): Who => {
  const principal = principalOf(context.switchToHttp().getRequest<FastifyRequest>());
  if (!principal) throw new Error('@Principal() on a public route: the access guard sets it only for routes that need a key');
  return principal;
});
