import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import type { JourneylineConfig } from '@journeyline/platform';
import { problem } from './problem';

/**
 * What every answer carries and every request passes before routing: security headers with a
 * Content-Security-Policy that allows no inline script and no framing (helmet), the
 * session cookie's parser (@fastify/cookie), the rate limiters' plugin (@fastify/rate-limit; the
 * access guard applies them), CORS closed unless JOURNEYLINE_CORS_ORIGINS names origins
 * (@fastify/cors), and the Host check that keeps DNS rebinding out.
 */
export async function secure(app: NestFastifyApplication, config: JourneylineConfig): Promise<void> {
  // helmet's headers made once (@fastify/helmet builds the middleware again on every request)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // ECharts positions its tooltips with style attributes; no script can come in this way.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    frameguard: { action: 'deny' },
    // Served over plain HTTP on a laptop as often as behind TLS: HSTS is the proxy's to set.
    strictTransportSecurity: false,
  });
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => securityHeaders(request.raw, reply.raw, (error) => done(error as Error | undefined)));
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false, cache: 50_000 });
  const origins = new Set(config.access.corsOrigins);
  refuseForeignPreflights(app, origins);
  app.enableCors({
    origin: (origin, callback) => callback(null, origin !== undefined && origins.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type'],
    // how far behind a read answer is (operations/behind-header.ts)
    exposedHeaders: ['x-journeyline-behind'],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });
  checkHosts(app, config);
}

/**
 * A browser asking whether another site's page may call the API gets a clear no (403, the origin
 * named), not a 404: only origins in JOURNEYLINE_CORS_ORIGINS get the CORS plugin's yes.
 */
function refuseForeignPreflights(app: NestFastifyApplication, origins: ReadonlySet<string>): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const origin = request.headers.origin;
      if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined || (origin !== undefined && origins.has(origin))) {
        return done();
      }
      const reason = `cross-origin requests from ${JSON.stringify(String(origin ?? '').slice(0, 100))} are not allowed; an administrator can add the origin to JOURNEYLINE_CORS_ORIGINS`;
      reply.code(403).send(problem(403, reason, [{ field: 'origin', reason }]));
    });
}

/**
 * A request must name this server in its Host header: a page on a stranger's domain that rebinds
 * its name to 127.0.0.1 sends that domain, and is refused before anything else runs. `/health`
 * (and its probes `/health/live`, `/health/ready`) answers any host (load balancers probe by address).
 */
function checkHosts(app: NestFastifyApplication, config: JourneylineConfig): void {
  const allowed = new Set(config.access.allowedHosts);
  if (allowed.has('*')) return;
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const host = hostName(request.headers.host);
      if (host !== null && allowed.has(host)) return done();
      if (request.url === '/health' || request.url.startsWith('/health?') || request.url.startsWith('/health/')) return done();
      const reason = `this server answers to ${[...allowed].join(', ')}, not ${JSON.stringify(String(request.headers.host ?? '').slice(0, 100))}; add the name to JOURNEYLINE_ALLOWED_HOSTS`;
      reply.code(403).send(problem(403, reason, [{ field: 'host', reason }]));
    });
}

/** The host name of a Host header, lower-cased, without its port (`[::1]:3000` → `::1`). */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9.-]+)(?::\d+)?$/.exec(value);
  return plain ? plain[1].replace(/\.$/, '') : null;
}
