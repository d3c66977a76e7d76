import 'reflect-metadata';
import { BadRequestException, ConsoleLogger, ValidationPipe, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import type { JourneylineConfig } from './config/journeyline-config';

/**
 * Builds the HTTP app on Fastify: its body limit answers 413, its content-type parser 415, and it
 * outran Express in our ingest benchmark. Query strings are validated by class-validator
 * (whitelist, unknown fields forbidden); event bodies are validated event by event in the
 * controller so a batch error can name each bad event.
 */
export async function createServer(config: JourneylineConfig, logger?: LoggerService | false): Promise<NestFastifyApplication> {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs } = config.http;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    logger: false,
    // Slow clients: a client trickling its headers or its body, or holding a socket open without a
    // request, is closed after these times instead of holding a connection for ever.
    requestTimeout: requestTimeoutMs,
    keepAliveTimeout: keepAliveTimeoutMs,
    connectionTimeout: requestTimeoutMs,
    http: { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeoutMs / 2)) },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: logger ?? new JourneylineLogger({ json: config.logFormat === 'json', prefix: 'journeyline' }),
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
        const details = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((reason) => ({ field: e.property, reason: reason.startsWith('property ') ? `unknown parameter ${e.property}` : reason })));
        return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: details.map((d) => d.reason).join('; '), errors: details });
      },
    }),
  );
  requireJsonBodies(app);
  // Connections beyond the cap are refused at the socket: one client opening thousands cannot starve the rest.
  app.getHttpServer().maxConnections = config.http.maxConnections;
  app.enableShutdownHooks();
  return app;
}

/** Nest's logger, except that a start-up failure is left to main's one line (no stack trace for a full disk). */
class JourneylineLogger extends ConsoleLogger {
  override error(message: unknown, ...rest: unknown[]): void {
    if (rest[rest.length - 1] === 'ExceptionHandler') return;
    super.error(message, ...rest);
  }
}

/** The API speaks JSON only: any other body type is a 415 that says so, before parsing. */
function requireJsonBodies(app: NestFastifyApplication): void {
  app.getHttpAdapter().getInstance().addHook('onRequest', (request, reply, done) => {
    const hasBody = request.method === 'POST' || request.method === 'PUT' || request.method === 'PATCH';
    const type = String(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (hasBody && request.url.startsWith('/api/') && type !== 'application/json') {
      reply.code(415).send({ statusCode: 415, error: 'Unsupported Media Type', message: `send JSON with content-type: application/json (got "${type || 'none'}")` });
      return;
    }
    done();
  });
}
