import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore, StoreUnavailableError, type EventStore } from '@journeyline/event-store';
import { deadLetterRecord, DEAD_LETTER_HEADERS } from './dead-letter';
import { ingestMessageBatch } from './message-batch-ingestion';
import type { SourceMessage } from './source-message';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

const TZ = { timeZone: 'Asia/Ho_Chi_Minh', personal: localPersonalData() };
const PRODUCED_AT = String(Date.UTC(2026, 10, 20, 3, 0, 0));

let offset = 0;
function message(value: unknown, key = 'c-1'): SourceMessage {
  const bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
  return {
    topic: 'journey.events',
    partition: 2,
    offset: String(offset++),
    key: Buffer.from(key),
    value: bytes,
    timestamp: PRODUCED_AT,
    headers: { trace: 'abc' },
  };
}

const visit = (eventId: string | undefined, stage: string, occurredAt: string, customerId = 'c-1') => ({
  ...(eventId ? { eventId } : {}),
  type: 'touchpoint.visited',
  customerId,
  occurredAt,
  data: { touchpoint: 'web:pricing', channel: 'web', stage },
});

describe('a partition batch from Kafka', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-kafka-batch-'));
    store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
    offset = 0;
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('records every valid message in one append, and a redelivery of the batch writes nothing', async () => {
    const batch = [
      message(visit('e-1', 'awareness', '2026-11-01T09:00:00+07:00')),
      message(visit('e-2', 'evaluation', '2026-11-02T09:00:00+07:00')),
      message(visit('e-3', 'awareness', '2026-11-01T10:00:00+07:00', 'c-2'), 'c-2'),
    ];
    const first = await ingestMessageBatch(store, batch, TZ);
    expect(first.deadLetters).toEqual([]);
    expect(first.recorded.map((r) => [r.event.eventId, r.event.duplicate])).toEqual([
      ['e-1', false],
      ['e-2', false],
      ['e-3', false],
    ]);
    const head = await store.headPosition();

    const again = await ingestMessageBatch(store, batch, TZ);
    expect(again.recorded.every((r) => r.event.duplicate)).toBe(true);
    expect(await store.headPosition()).toBe(head);
  });

  it('dead-letters what does not parse or validate, naming the field, and records the messages around it', async () => {
    const batch = [
      message(visit('ok-1', 'awareness', '2026-11-01T09:00:00+07:00')),
      message('{"eventId": "broken", "type": '),
      message({ ...visit('unknown-field', 'awareness', '2026-11-01T09:00:00+07:00'), colour: 'blue' }),
      message({
        eventId: 'bad-score',
        type: 'feedback.given',
        customerId: 'c-1',
        occurredAt: '2026-11-01T09:05:00+07:00',
        data: { kind: 'nps', score: 'great', scale: '0-10' },
      }),
      message(visit('bad-stage', 'loyalty', '2026-11-01T09:00:00+07:00')),
      message(visit('ok-2', 'evaluation', '2026-11-02T09:00:00+07:00')),
    ];
    const outcome = await ingestMessageBatch(store, batch, TZ);
    expect(outcome.recorded.map((r) => r.event.eventId)).toEqual(['ok-1', 'ok-2']);
    expect(outcome.deadLetters.map((d) => [d.message.offset, d.reason, d.field ?? null])).toEqual([
      ['1', 'malformed-json', null],
      ['2', 'invalid-event', 'colour'],
      ['3', 'invalid-event', 'data.score'],
      ['4', 'invalid-event', 'data.stage'],
    ]);
    expect(outcome.deadLetters[1].detail).toContain('unknown field colour');
  });

  it('dead-letters an event the journey rules refuse and records the rest of the batch', async () => {
    const batch = [
      message(visit('v-1', 'awareness', '2026-11-01T09:00:00+07:00')),
      message({ eventId: 'r-1', type: 'ticket.resolved', customerId: 'c-1', occurredAt: '2026-11-01T10:00:00+07:00', data: { ticketId: 'T-404' } }),
      message({
        eventId: 'f-1',
        type: 'feedback.given',
        customerId: 'c-1',
        occurredAt: '2026-11-01T10:05:00+07:00',
        data: { kind: 'nps', score: 42, scale: '0-10' },
      }),
      message(visit('v-2', 'evaluation', '2026-11-02T09:00:00+07:00')),
    ];
    const outcome = await ingestMessageBatch(store, batch, TZ);
    expect(outcome.recorded.map((r) => r.event.eventId)).toEqual(['v-1', 'v-2']);
    expect(outcome.deadLetters.map((d) => [d.reason, d.rule])).toEqual([
      ['journey-rule', 'ticket-never-opened'],
      ['journey-rule', 'feedback-score-outside-scale'],
    ]);
    expect((await store.readStream('customer-c-1')).map((e) => e.eventId)).toEqual(['v-1', 'stage v-1', 'v-2', 'stage v-2']);
  });

  it('dead-letters an eventId already stored with another body', async () => {
    await ingestMessageBatch(store, [message(visit('same', 'awareness', '2026-11-01T09:00:00+07:00'))], TZ);
    const outcome = await ingestMessageBatch(
      store,
      [message(visit('same', 'evaluation', '2026-11-03T09:00:00+07:00')), message(visit('other', 'evaluation', '2026-11-02T09:00:00+07:00'))],
      TZ,
    );
    expect(outcome.deadLetters.map((d) => d.reason)).toEqual(['event-id-reused']);
    expect(outcome.recorded.map((r) => r.event.eventId)).toEqual(['other']);
  });

  it('names an event without eventId by its topic, partition and offset, so a redelivery is recognised', async () => {
    const batch = [
      message(visit(undefined, 'awareness', '2026-11-01T09:00:00+07:00')),
      message({ type: 'customer.profiled', customerId: 'c-1', data: { segment: 'SME' } }),
    ];
    const first = await ingestMessageBatch(store, batch, TZ);
    expect(first.recorded.map((r) => r.event.eventId)).toEqual(['kafka journey.events 2 0', 'kafka journey.events 2 1']);
    const again = await ingestMessageBatch(store, batch, { ...TZ, clock: () => new Date('2030-01-01T00:00:00Z') });
    expect(again.recorded.map((r) => r.event.duplicate)).toEqual([true, true]);
    // a missing occurredAt is the message's timestamp, not the time of delivery
    const [profiled] = (await store.findByEventIds(['kafka journey.events 2 1'])).values();
    expect(profiled.occurredAt).toBe(new Date(Number(PRODUCED_AT)).toISOString());
  });

  it('throws a transient store error instead of dead-lettering anything', async () => {
    const unavailable = {
      value: async () => {
        throw new StoreUnavailableError('database is locked');
      },
    };
    // down for every call the write path makes (the first append of a batch looks nothing up)
    const down: EventStore = Object.create(store, {
      findByEventIds: unavailable,
      readStream: unavailable,
      readStreams: unavailable,
      append: unavailable,
      appendNew: unavailable,
    });
    await expect(ingestMessageBatch(down, [message(visit('t-1', 'awareness', '2026-11-01T09:00:00+07:00'))], TZ)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('keeps the original key, value and headers in a dead letter and adds the error and the source', () => {
    const original = message('not json', 'c-77');
    const record = deadLetterRecord(
      {
        message: original,
        reason: 'invalid-event',
        detail: 'stage must be one of ...',
        field: 'data.stage',
        errors: [{ field: 'data.stage', reason: 'stage must be one of ...' }],
      },
      new Date('2026-11-23T00:00:00Z'),
    );
    expect(record.key).toBe(original.key);
    expect(record.value).toBe(original.value);
    expect(record.headers).toMatchObject({
      trace: 'abc',
      [DEAD_LETTER_HEADERS.error]: 'invalid-event',
      [DEAD_LETTER_HEADERS.field]: 'data.stage',
      [DEAD_LETTER_HEADERS.sourceTopic]: 'journey.events',
      [DEAD_LETTER_HEADERS.sourcePartition]: '2',
      [DEAD_LETTER_HEADERS.sourceOffset]: original.offset,
      [DEAD_LETTER_HEADERS.failedAt]: '2026-11-23T00:00:00.000Z',
    });
  });
});
