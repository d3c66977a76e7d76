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
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimit, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: logger ?? new ConsoleLogger({ json: config.logFormat === 'json', prefix: 'journeyline' }),
    bufferLogs: false,
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
  app.enableShutdownHooks();
  return app;
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
