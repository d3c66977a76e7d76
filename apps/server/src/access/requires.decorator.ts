import { SetMetadata } from '@nestjs/common';
import type { Scope } from '@journeyline/access';

/**
 * What a route needs: a scope (`read`, `ingest`, `admin`, `survey`), any valid key (`signed-in`),
 * or nothing (`public`, optionally rate-limited per client address). A route without this
 * decorator needs `admin`: forgetting it locks a route, never opens one.
 */
export type Requirement = { scope: Scope } | { signedIn: true } | { public: true; rateLimited: boolean };

export const REQUIREMENT = 'journeyline:requirement';

export const Requires = (scope: Scope) => SetMetadata(REQUIREMENT, { scope } satisfies Requirement);
export const SignedIn = () => SetMetadata(REQUIREMENT, { signedIn: true } satisfies Requirement);
export const Public = (options: { rateLimited?: boolean } = {}) =>
  SetMetadata(REQUIREMENT, { public: true, rateLimited: options.rateLimited ?? false } satisfies Requirement);

export const DEFAULT_REQUIREMENT: Requirement = { scope: 'admin' };
