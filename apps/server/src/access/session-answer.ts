import type { Principal } from '@journeyline/access';

/** Who the dashboard is signed in as (never the key). */
export interface SessionAnswer {
  keyId: string;
  name: string;
  scopes: string[];
  via: 'key' | 'session';
  expiresAt?: string;
}

export function sessionAnswer(principal: Principal, expiresAt?: Date): SessionAnswer {
  return {
    keyId: principal.keyId,
    name: principal.name,
    scopes: [...principal.scopes],
    via: principal.via,
    ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
  };
}
