import type { Actor, Principal } from '@journeyline/access';

/** The audit trail's name for who made a request. */
export function actorOf(principal: Principal): Actor {
  return { keyId: principal.keyId, name: principal.name };
}
