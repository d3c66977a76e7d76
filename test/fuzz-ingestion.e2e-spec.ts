/**
 * The fuzz suite's ingestion entry points (test/support/fuzz-harness.ts says what every fuzz file
 * holds to): single and batch events, the Segment source, the Kafka batch function and import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { SqliteEventStore } from '@journeyline/event-store';
import { ingestMessageBatch, type SourceMessage } from '@journeyline/kafka';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { importFile } from '../apps/cli/src/commands/import.command';
import { edgyString, jsonText, PROTOTYPE_NAMES, VALID_EVENTS, wireEvent } from './support/fuzz';
import { fuzzedServer, RUNS, SEED } from './support/fuzz-harness';
import { segmentBatch, segmentMessage } from './support/fuzz-segment';
import { tempDataDir } from './support/running-server';

describe('fuzzing the ingestion entry points (e2e, fast-check)', () => {
  const fuzzed = fuzzedServer('ingestion');
  const { unique } = fuzzed;

  it('POST /api/v1/events: any single event', async () => {
    await fuzzed.ingest('/api/v1/events', wireEvent(unique).chain(jsonText));
  }, 300_000);

  it('POST /api/v1/events/batch: any batch', async () => {
    const batch = fc.oneof(
      { weight: 8, arbitrary: fc.array(wireEvent(unique), { minLength: 1, maxLength: 4 }).map((events) => ({ events })) },
      { weight: 1, arbitrary: fc.constantFrom({ events: [] }, { events: null }, { events: {} }, { events: [VALID_EVENTS[0]], extra: 1 }, []) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'events'), fc.array(wireEvent(unique), { maxLength: 2 }), { maxKeys: 3 }) },
    );
    await fuzzed.ingest('/api/v1/events/batch', batch.chain(jsonText));
  }, 300_000);

  it('POST /v1/batch and /v1/track (the Segment source): any Segment request', async () => {
    await fuzzed.ingest('/v1/batch', segmentBatch(unique).chain(jsonText), 1 / 40);
    // one message through the same pipeline as a batch of one: a fifth of the cases
    await fuzzed.ingest('/v1/track', segmentMessage(unique).chain(jsonText), 1 / 20, Math.ceil(RUNS / 5));
  }, 300_000);

  it('the Kafka batch function: every message recorded or dead-lettered with a reason, never thrown', async () => {
    const kafkaStore = SqliteEventStore.open(path.join(fuzzed.dataDir, 'kafka-fuzz.db'));
    let offset = 0;
    const value = fc.oneof(
      {
        weight: 8,
        arbitrary: wireEvent(unique)
          .chain(jsonText)
          .map((text) => Buffer.from(text, 'utf8')),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
      { weight: 1, arbitrary: fc.constant(null) },
    );
    const message = value.map((v): SourceMessage => ({
      topic: 'journey.events',
      partition: 0,
      offset: String(offset++),
      key: null,
      value: v,
      headers: {},
      timestamp: String(Date.parse('2026-11-30T00:00:00Z')),
    }));
    let deadLetters = 0;
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(message, { minLength: 1, maxLength: 3 }), async (messages) => {
          const outcome = await ingestMessageBatch(kafkaStore, messages, { timeZone: 'Asia/Ho_Chi_Minh', personal: localPersonalData() });
          expect(outcome.recorded.length + outcome.deadLetters.length).toBe(messages.length);
          for (const dead of outcome.deadLetters) {
            expect(dead.detail.length).toBeGreaterThan(0);
            if (dead.reason === 'invalid-event') expect(dead.errors?.every((e) => typeof e.field === 'string' && e.reason.length > 0)).toBe(true);
          }
          deadLetters += outcome.deadLetters.length;
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      expect(deadLetters).toBeGreaterThan(RUNS / 4);
    } finally {
      await kafkaStore.close();
    }
  }, 300_000);

  it('import: NDJSON lines and CSV rows of any shape are stored or set aside with a reason', async () => {
    const importDir = tempDataDir('journeyline-fuzz-import-');
    const short = edgyString.filter((s) => s.length < 10_000);
    const lines = fc
      .sample(fc.oneof({ weight: 9, arbitrary: wireEvent(unique).chain(jsonText) }, { weight: 1, arbitrary: short }), { numRuns: RUNS, seed: SEED })
      .map((line) => line.replace(/[\r\n\u2028\u2029]/g, ' '));
    const ndjson = path.join(importDir, 'fuzz.ndjson');
    fs.writeFileSync(ndjson, lines.join('\n'));
    const result = await importFile(ndjson, 'ndjson', 500, { JOURNEYLINE_DATA_DIR: importDir });
    const nonEmpty = lines.filter((l) => l.trim() !== '').length;
    expect(result.stored + result.duplicates + result.rejected).toBe(nonEmpty);
    expect(result.rejected).toBeGreaterThan(RUNS / 4);
    const rejected = fs
      .readFileSync(result.rejectedFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rejected.every((r) => Number.isInteger(r.line) && typeof r.reason === 'string' && r.reason.length > 0)).toBe(true);

    const header = ['type', 'customerId', 'occurredAt', 'touchpoint', 'channel', 'stage', 'kind', 'score', 'scale', '__proto__', 'constructor', 'amount'];
    const cell = short.map((s) => `"${s.replace(/"/g, '""').replace(/\u0000/g, '')}"`);
    const rows = fc.sample(fc.array(cell, { minLength: header.length, maxLength: header.length }), { numRuns: RUNS, seed: SEED + 1 });
    const csv = path.join(importDir, 'fuzz.csv');
    fs.writeFileSync(csv, [header.join(','), ...rows.map((r) => r.join(','))].join('\n'));
    const csvResult = await importFile(csv, 'csv', 500, { JOURNEYLINE_DATA_DIR: importDir });
    expect(csvResult.stored + csvResult.duplicates + csvResult.rejected).toBeGreaterThan(0);
    expect(csvResult.rejected).toBeGreaterThan(RUNS / 4);
  }, 300_000);

  fuzzed.itEndsHealthy();
});
