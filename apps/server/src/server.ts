import 'reflect-metadata';
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { createLog, nestLogger, type JourneylineConfig, type Log } from '@journeyline/platform';
import { fieldErrorsOf } from '@journeyline/recording';
import { AppModule } from './app.module';
import { ErrorFilter } from './http/error.filter';
import { problem, quoted } from './http/problem';
import { compress } from './http/compression';
import { secure } from './http/security';
import { ApiDocument } from './docs/api-document';
import { acceptImportBodies, isImportRequest } from './imports/import-bodies';
import { acceptSegmentBodies } from './segment/segment-bodies';
import { acceptSurveyForms } from './surveys/survey-page/survey-page-bodies';

/**
 * Builds the HTTP app on Fastify: its body limit answers 413, its content-type parser 415, and it
 * outran Express in our ingest benchmark. Query strings are validated by class-validator
 * (whitelist, unknown fields forbidden); event bodies are validated event by event in the
 * controller so a batch error can name each bad event.
 */
export async function createServer(config: JourneylineConfig, log?: Log | false): Promise<NestFastifyApplication> {
  const appLog =
    log === false ? createLog({ app: 'journeyline', format: 'json', level: 'silent' }) : (log ?? createLog({ app: 'journeyline', format: config.logFormat }));
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    logger: false,
    // A survey link's token (/s/:token) is a signed payload of a few hundred characters; every other parameter is checked by its route.
    routerOptions: { maxParamLength: 2048 },
    // Behind N reverse proxies, the client's address (for rate limits) is the Nth from the right of X-Forwarded-For.
    trustProxy: config.access.trustProxy > 0 ? config.access.trustProxy : false,
    // Slow clients: a client trickling its headers or its body, or holding a socket open without a
    // request, is closed after these times instead of holding a connection for ever.
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionTimeout: requestTimeoutMs,
    http: { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeoutMs / 2)) },
    // A URL that does not decode (bad percent-escapes) is refused by the router itself, in the one error shape.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const reason = error.code === 'FST_ERR_BAD_URL' ? 'the URL holds percent-escapes that are not UTF-8; encode it with encodeURIComponent' : error.message;
      void reply.code(400).send(problem(400, reason, [{ field: 'path', reason }]));
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, appLog), adapter, {
    logger: nestLogger(appLog),
    bufferLogs: false,
    // A failed start (a read-only or full data directory, say) is thrown to main, which says it in one line.
    abortOnError: false,
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const details = fieldErrorsOf(errors, '', (field) => `unknown parameter ${field}`);
        return new BadRequestException(problem(400, details.map((d) => d.reason).join('; '), details));
      },
    }),
  );
  // Global this way (not as an APP_FILTER provider) so that it also shapes the router's own 404s.
  app.useGlobalFilters(new ErrorFilter());
  await secure(app, config);
  await compress(app);
  recordRoutes(app);
  requireJsonBodies(app);
  acceptImportBodies(app, config.importBodyLimit);
  acceptSegmentBodies(app, config.bodyLimit);
  acceptSurveyForms(app);
  // Connections beyond the cap are refused at the socket: one client opening thousands cannot starve the rest.
  app.getHttpServer().maxConnections = config.http.maxConnections;
  app.enableShutdownHooks();
  // GET /api/docs and /api/docs-json: the OpenAPI document, generated from the routes and their DTOs on first request
  app.get(ApiDocument).describe(app);
  return app;
}

export interface RouteInfo {
  method: string;
  /** Fastify's path, with `:params`. */
  url: string;
}

const ROUTES = new WeakMap<NestFastifyApplication, RouteInfo[]>();

/** Every route the app serves, as registered in the router (after `init()`): the fuzz suite and the authorization matrix are generated from it, so a new route cannot be missed. */
export function registeredRoutes(app: NestFastifyApplication): readonly RouteInfo[] {
  return ROUTES.get(app) ?? [];
}

function recordRoutes(app: NestFastifyApplication): void {
  const routes: RouteInfo[] = [];
  ROUTES.set(app, routes);
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push({ method, url: route.url });
    });
}

/**
 * The API speaks JSON only: a body of any other type is a 415 that says so, before parsing (a POST
 * without a body, such as a key's rotation, needs none). The one exception is the file upload,
 * POST /api/v1/import, whose own parsers take CSV, NDJSON and .xlsx bodies (imports/import-bodies.ts).
 */
function requireJsonBodies(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      const length = request.headers['content-length'];
      const hasBody =
        (request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH') &&
        (request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0'));
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]
        .trim()
        .toLowerCase();
      if (hasBody && request.url.startsWith('/api/') && type !== 'application/json' && !(request.method === 'POST' && isImportRequest(request.url))) {
        const reason = `send JSON with content-type: application/json (got "${quoted(type) || 'none'}")`;
        reply.code(415).send(problem(415, reason, [{ field: 'content-type', reason }]));
        return;
      }
      done();
    });
}
