import { Transform, type Readable } from 'node:stream';
import * as zlib from 'node:zlib';
import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { problem, quoted } from '../http/problem';

/**
 * Bodies of the Segment routes (`/v1/*`) may come gzipped (`Content-Encoding: gzip`), as Segment's
 * mobile and server libraries send them. They are inflated as they arrive, before Fastify parses
 * them, and the inflated body must respect the same limit as any other (JOURNEYLINE_BODY_LIMIT):
 * inflating stops at the limit (413), so a small zip bomb cannot make the server inflate
 * gigabytes. A stream that is not gzip is a 400; another encoding a 415.
 */
export function acceptSegmentBodies(app: NestFastifyApplication, bodyLimit: number): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('preParsing', (request, _reply, payload, done) => {
      if (!request.url.startsWith('/v1/')) return done(null, payload);
      const encoding = String(request.headers['content-encoding'] ?? '')
        .trim()
        .toLowerCase();
      if (encoding === '' || encoding === 'identity') return done(null, payload);
      if (encoding !== 'gzip' && encoding !== 'x-gzip') {
        const reason = `content-encoding "${quoted(encoding, 40)}" is not supported: send the body as it is, or gzipped (content-encoding: gzip)`;
        return done(new HttpException(problem(415, reason, [{ field: 'content-encoding', reason }]), 415), payload);
      }
      done(null, inflated(payload, bodyLimit));
    });
}

/** The payload inflated, stopping at `limit` bytes; `receivedEncodedLength` tells Fastify how many bytes came over the wire. */
function inflated(payload: Readable, limit: number): Readable {
  let size = 0;
  const gunzip = zlib.createGunzip();
  const body = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size <= limit) return callback(null, chunk);
      const reason = `the body inflates to more than ${limit} bytes (JOURNEYLINE_BODY_LIMIT); send smaller batches`;
      callback(new PayloadTooLargeException(problem(413, reason, [{ field: 'body', reason }])));
    },
  });
  const counted = body as Transform & { receivedEncodedLength: number };
  counted.receivedEncodedLength = 0;
  payload.on('data', (chunk: Buffer) => (counted.receivedEncodedLength += chunk.length));
  payload.on('error', (error) => body.destroy(error));
  gunzip.on('error', (error) => {
    const reason = `the body is not valid gzip (${error.message}); send it gzipped whole, or without content-encoding`;
    body.destroy(new BadRequestException(problem(400, reason, [{ field: 'body', reason }])));
  });
  body.on('close', () => {
    // stop inflating what no one reads any more, and let the rest of the request drain
    gunzip.destroy();
    payload.unpipe(gunzip);
    payload.resume();
  });
  payload.pipe(gunzip).pipe(body);
  return body;
}
