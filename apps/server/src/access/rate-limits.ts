import type {} from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '@journeyline/access';
import type { AccessConfig } from '@journeyline/platform';

type Check = ReturnType<FastifyInstance['createRateLimit']>;

/** Seconds until the limit that was hit lets the client in again; null when within every limit. */
export type RetryAfter = number | null;

/**
 * Requests per minute, counted with @fastify/rate-limit's limiters (fixed one-minute windows, in
 * this process): ingestion per key and per client address, public routes per address, and failed
 * sign-ins per address (a guesser is stopped long before a key could be guessed, and cannot make
 * the server spend its CPU on checking chosen keys). Behind a reverse proxy, set
 * JOURNEYLINE_TRUST_PROXY so that the address is the client's, not the proxy's.
 */
export class RateLimits {
  private checks: { ingestPerKey: Check; ingestPerAddress: Check; publicPerAddress: Check; authFailures: Check } | null = null;

  /** The limiters are made on first use: the plugin that makes them loads with the app, after the providers. */
  constructor(
    private readonly fastify: FastifyInstance,
    private readonly limits: AccessConfig['rateLimits'],
  ) {}

  async ingest(request: FastifyRequest): Promise<RetryAfter> {
    return (await exceeded(this.check().ingestPerKey, request)) ?? exceeded(this.check().ingestPerAddress, request);
  }

  public(request: FastifyRequest): Promise<RetryAfter> {
    return exceeded(this.check().publicPerAddress, request);
  }

  /** Whether this address has failed to sign in too often lately (does not count this request). */
  signInBlocked(request: FastifyRequest): Promise<RetryAfter> {
    return exceeded(this.check().authFailures, request, false);
  }

  async signInFailed(request: FastifyRequest): Promise<void> {
    await this.check().authFailures(request);
  }

  private check() {
    if (this.checks) return this.checks;
    const limiter = (name: string, max: number, key: (request: FastifyRequest) => string) =>
      this.fastify.createRateLimit({ max, timeWindow: 60_000, keyGenerator: (request) => `${name}:${key(request)}` });
    this.checks = {
      ingestPerKey: limiter('ingest-key', this.limits.ingestPerKey, (request) => principalOf(request)?.keyId ?? ''),
      ingestPerAddress: limiter('ingest-address', this.limits.ingestPerAddress, (request) => request.ip),
      publicPerAddress: limiter('public', this.limits.publicPerAddress, (request) => request.ip),
      authFailures: limiter('auth-failures', this.limits.authFailuresPerAddress, (request) => request.ip),
    };
    return this.checks;
  }
}

async function exceeded(check: Check, request: FastifyRequest, increment = true): Promise<RetryAfter> {
  const result = await check(request, { increment });
  if (result.isAllowed) return null;
  const over = increment ? result.isExceeded : result.remaining <= 0 && result.ttl > 0;
  return over ? Math.max(1, result.ttlInSeconds) : null;
}

export function principalOf(request: FastifyRequest): Principal | undefined {
  return (request as FastifyRequest & { principal?: Principal }).principal;
}

export function setPrincipal(request: FastifyRequest, principal: Principal): void {
  (request as FastifyRequest & { principal?: Principal }).principal = principal;
}
