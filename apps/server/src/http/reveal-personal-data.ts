import type { FastifyInstance } from 'fastify';
import type { PersonalData } from '@journeyline/privacy';

/** Stands for the hook in the module's providers (it is a Fastify hook, not something to inject). */
export class RevealPersonalDataOnTheWayOut {}

/**
 * Personal fields stay sealed in the log and the read models; every answer is opened here, on its
 * way out, wherever in it a sealed value sits (a name in the customer list, a comment, a field of a
 * raw event). A customer who was erased has no key left: their values read as null.
 *
 * A Fastify `preSerialization` hook (every object answer passes it before it becomes JSON; files,
 * pages and streams do not), not a Nest interceptor: Nest's interceptor chain binds an async
 * resource per interceptor per request, which on Node 20 costs two `util.deprecate` wrappers each
 * (about a twentieth of a small read's CPU with two interceptors).
 */
export function revealPersonalDataOnTheWayOut(fastify: FastifyInstance, personal: PersonalData): void {
  fastify.addHook('preSerialization', async (_request, _reply, payload) => personal.reveal(payload));
}
