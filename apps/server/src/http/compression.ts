import fastifyCompress from '@fastify/compress';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Answers smaller than this go as they are: compressing a few hundred bytes costs more time than it saves. */
export const COMPRESSION_THRESHOLD_BYTES = 1024;

/** Text types, JSON and NDJSON (the export's `application/x-ndjson`, which mime-db does not know); the rest as mime-db says (scripts and styles yes, images no). */
const COMPRESSIBLE = /^text\/(?!event-stream)|[+/](?:x-)?(?:nd)?json(?:;|$)|[+/](?:text|xml)(?:;|$)/u;

/**
 * Answers are compressed when the client accepts it (`Accept-Encoding`: br, gzip or deflate, in
 * the client's order of preference) and the type compresses (JSON, the dashboard's scripts and
 * styles, HTML, CSV and NDJSON exports as they stream, the Prometheus text), from 1 KiB up.
 * Brotli at quality 4, the plugin's default: most of the gain for a fraction of the CPU of 11.
 *
 * Request bodies are not inflated here: the Segment routes inflate their own gzip bodies with
 * a size cap (segment/segment-bodies.ts); a second, uncapped inflater would let a zip bomb through.
 */
export async function compress(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyCompress, {
    globalDecompression: false,
    threshold: COMPRESSION_THRESHOLD_BYTES,
    encodings: ['br', 'gzip', 'deflate'],
    customTypes: COMPRESSIBLE,
  });
}
