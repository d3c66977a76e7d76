import type { IncomingMessage } from 'node:http';
import { HttpException, PayloadTooLargeException } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { problem } from '../http/problem';

/** The one route that takes a file rather than JSON. */
export const IMPORT_PATH = '/api/v1/import';

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The media types an upload may have, with the format each says (null: `format=` says it). */
export const IMPORT_MEDIA_TYPES: ReadonlyMap<string, 'csv' | 'ndjson' | 'xlsx' | null> = new Map([
  ['text/csv', 'csv'],
  ['application/x-ndjson', 'ndjson'],
  ['application/ndjson', 'ndjson'],
  [XLSX_MEDIA_TYPE, 'xlsx'],
  ['application/octet-stream', null],
]);

export function isImportRequest(url: string): boolean {
  const end = url.indexOf('?');
  return (end === -1 ? url : url.slice(0, end)) === IMPORT_PATH;
}

/**
 * Bodies of `POST /api/v1/import`: the file as it is (CSV, NDJSON, an .xlsx workbook), read into
 * a Buffer up to its own limit (JOURNEYLINE_IMPORT_BODY_LIMIT, larger than the JSON routes'), 413
 * beyond it. Any other route sent one of these types is refused at once (415) without reading the
 * body. A parser already registered for a type (by another source) is left as it is.
 */
export function acceptImportBodies(app: NestFastifyApplication, limit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  for (const type of IMPORT_MEDIA_TYPES.keys()) {
    if (fastify.hasContentTypeParser(type)) continue;
    fastify.addContentTypeParser(type, (request, payload, done) => {
      if (!isImportRequest(request.url)) {
        const reason = `${type} is taken by POST ${IMPORT_PATH} only; send JSON with content-type: application/json`;
        done(new HttpException(problem(415, reason, [{ field: 'content-type', reason }]), 415), undefined);
        return;
      }
      collect(payload, limit).then(
        (body) => done(null, body),
        (error: Error) => done(error, undefined),
      );
    });
  }
}

function collect(payload: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        const reason = `the file is larger than ${limit} bytes (JOURNEYLINE_IMPORT_BODY_LIMIT); split it, or import it with journeyline import`;
        payload.removeAllListeners('data');
        payload.resume();
        reject(new PayloadTooLargeException(problem(413, reason, [{ field: 'body', reason }])));
        return;
      }
      chunks.push(chunk);
    });
    payload.on('end', () => resolve(Buffer.concat(chunks, size)));
    payload.on('error', reject);
  });
}
