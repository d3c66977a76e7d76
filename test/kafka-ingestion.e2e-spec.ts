import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore, StoreUnavailableError, type EventStore } from '@journeyline/event-store';
import { consumerGroupLag, createTelemetryRegistry, DEAD_LETTER_HEADERS, JourneyEventConsumer, Telemetry } from '@journeyline/kafka';
import type { Kafka } from 'kafkajs';
import { useKafkaBroker } from './support/kafka-broker';
import { createTopics, deleteTopics, kafkaTestRun, produce, readTopic, testKafka, type KafkaTestRun } from './support/kafka-topics';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

/**
 * The ingestion consumer (in this process) against a real broker: bad messages go to the
 * dead-letter topic untouched, with headers naming the error; the good ones around them are
 * stored; offsets are committed; a store outage is retried, never dead-lettered.
 */
const visit = (eventId: string, customerId: string, stage: string, day: number) =>
  JSON.stringify({
    eventId,
    type: 'touchpoint.visited',
    customerId,
    occurredAt: `2026-11-${String(day).padStart(2, '0')}T09:00:00+07:00`,
    data: { touchpoint: 'web:pricing', channel: 'web', stage },
  });

describe('Kafka ingestion consumer on a real broker (e2e)', () => {
  const broker = useKafkaBroker();
  const dirs: string[] = [];
  const runs: KafkaTestRun[] = [];
  let kafka: Kafka;
  beforeAll(() => {
    kafka = testKafka(broker.brokers);
  });
  broker.cleanUp(async () => {
    await deleteTopics(
      kafka,
      runs.flatMap((r) => Object.values(r.topics)),
    );
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function setUp(name: string) {
    const run = kafkaTestRun(name);
    runs.push(run);
    await createTopics(kafka, [run.topics.events, run.topics.deadLetters], 3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `journeyline-${name}-`));
    dirs.push(dir);
    const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
    return { run, store };
  }

  function consumer(run: KafkaTestRun, store: EventStore, telemetry?: Telemetry) {
    return new JourneyEventConsumer({
      kafka,
      store,
      personal: localPersonalData(),
      telemetry,
      topic: run.topics.events,
      deadLetterTopic: run.topics.deadLetters,
      groupId: run.groupId,
      timeZone: 'Asia/Ho_Chi_Minh',
      retryInitialMs: 50,
    });
  }

  async function waitUntilCommitted(run: KafkaTestRun, timeoutMs = 30_000): Promise<void> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const lag = await consumerGroupLag(admin, run.groupId, run.topics.events);
        if (lag.total === 0 && lag.partitions.every((p) => p.committed !== null || p.high === '0')) return;
        if (Date.now() > deadline) throw new Error(`group ${run.groupId} still lags: ${JSON.stringify(lag)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await admin.disconnect();
    }
  }

  it('sends malformed JSON, an unknown field, a bad score, an unknown stage, a broken rule and a reused eventId to the DLQ; stores the good messages around them', async () => {
    const { run, store } = await setUp('dlq');
    const sent = [
      { key: 'c-1', value: visit('g-1', 'c-1', 'awareness', 1) },
      { key: 'c-1', value: '{"eventId": "m-1", "type": "touchpoint.visited", "customerId": ' },
      { key: 'c-1', value: visit('g-2', 'c-1', 'evaluation', 2) },
      { key: 'c-1', value: JSON.stringify({ ...JSON.parse(visit('u-1', 'c-1', 'choice', 3)), colour: 'blue' }) },
      {
        key: 'c-1',
        value: JSON.stringify({
          eventId: 'b-1',
          type: 'feedback.given',
          customerId: 'c-1',
          occurredAt: '2026-11-03T10:00:00+07:00',
          data: { kind: 'nps', score: 'ten', scale: '0-10' },
        }),
      },
      { key: 'c-1', value: visit('s-1', 'c-1', 'loyalty', 3) },
      {
        key: 'c-1',
        value: JSON.stringify({
          eventId: 'r-1',
          type: 'feedback.given',
          customerId: 'c-1',
          occurredAt: '2026-11-03T11:00:00+07:00',
          data: { kind: 'nps', score: 11, scale: '0-10' },
        }),
      },
      {
        key: 'c-1',
        value: JSON.stringify({ type: 'customer.profiled', customerId: 'c-1', occurredAt: '2026-11-03T12:00:00+07:00', data: { segment: 'SME' } }),
      },
      { key: 'c-1', value: visit('g-1', 'c-1', 'choice', 4) }, // g-1 again, another body
      { key: 'c-1', value: visit('g-4', 'c-1', 'choice', 5) },
      { key: 'c-2', value: visit('h-1', 'c-2', 'awareness', 1) },
      { key: 'c-2', value: visit('h-2', 'c-2', 'evaluation', 2) },
    ];
    await produce(
      kafka,
      run.topics.events,
      sent.map((m) => ({ ...m, headers: { 'x-trace-id': `trace-${m.value.length}` } })),
    );
    const telemetry = new Telemetry(createTelemetryRegistry({ defaultMetrics: false }));
    const ingesting = consumer(run, store, telemetry);
    await ingesting.start();
    try {
      await waitUntilCommitted(run);
    } finally {
      await ingesting.stop();
    }

    const facts = async (customer: string) =>
      (await store.readStream(`customer-${customer}`)).filter((e) => e.type !== 'StageEntered' && e.type !== 'StageRegressed').map((e) => e.eventId);
    const c1 = await facts('c-1');
    expect(c1).toHaveLength(4);
    expect(c1[0]).toBe('g-1');
    expect(c1[1]).toBe('g-2');
    expect(c1[2]).toMatch(new RegExp(`^kafka ${run.topics.events.replace(/\./g, '\\.')} \\d+ 7$`));
    expect(c1[3]).toBe('g-4');
    expect(await facts('c-2')).toEqual(['h-1', 'h-2']);

    const dead = await readTopic(kafka, run.topics.deadLetters);
    expect(
      dead.map((m) => [m.headers[DEAD_LETTER_HEADERS.error], m.headers[DEAD_LETTER_HEADERS.field] ?? m.headers[DEAD_LETTER_HEADERS.rule] ?? null]),
    ).toEqual([
      ['malformed-json', null],
      ['invalid-event', 'colour'],
      ['invalid-event', 'data.score'],
      ['invalid-event', 'data.stage'],
      ['journey-rule', 'feedback-score-outside-scale'],
      ['event-id-reused', null],
    ]);
    const originals = [1, 3, 4, 5, 6, 8].map((i) => sent[i]);
    dead.forEach((message, i) => {
      expect(message.key).toBe('c-1');
      expect(message.value!.equals(Buffer.from(originals[i].value))).toBe(true);
      expect(message.headers['x-trace-id']).toBe(`trace-${originals[i].value.length}`);
      expect(message.headers[DEAD_LETTER_HEADERS.sourceTopic]).toBe(run.topics.events);
      expect(message.headers[DEAD_LETTER_HEADERS.sourceOffset]).toBe(String([1, 3, 4, 5, 6, 8][i]));
      expect(message.headers[DEAD_LETTER_HEADERS.reason]).toBeTruthy();
    });
    expect(dead[1].headers[DEAD_LETTER_HEADERS.reason]).toContain('unknown field colour');

    expect(ingesting.status()).toMatchObject({ consumed: 12, appended: 6, deadLetters: 6, retries: 0 });
    const text = await telemetry.render();
    expect(text).toMatch(/journeyline_kafka_dead_letters_total\{[^}]*reason="invalid-event"[^}]*\} 3/);
    expect(text).toMatch(/journeyline_kafka_messages_consumed_total\{[^}]*\} 12/);
    expect(text).toMatch(/journeyline_events_appended_total\{source="kafka"\} 6/);
    await store.close();
  }, 60_000);

  it('retries a batch while the store is unavailable, with its offset uncommitted, and never dead-letters it', async () => {
    const { run, store } = await setUp('outage');
    let failures = 0;
    // both ways the write path appends (appendNew first, append after a lookup) fail alike
    const failing =
      (append: EventStore['append']) =>
      async (...args: Parameters<EventStore['append']>) => {
        if (failures < 3) {
          failures++;
          throw new StoreUnavailableError('sqlite event store unavailable: database is locked');
        }
        return append.apply(store, args);
      };
    const flaky: EventStore = Object.create(store, {
      append: { value: failing(store.append) },
      appendNew: { value: failing(store.appendNew) },
    });
    await produce(
      kafka,
      run.topics.events,
      [1, 2, 3].map((day) => ({ key: 'c-9', value: visit(`o-${day}`, 'c-9', ['awareness', 'evaluation', 'choice'][day - 1], day) })),
    );
    const ingesting = consumer(run, flaky);
    await ingesting.start();
    try {
      await waitUntilCommitted(run);
    } finally {
      await ingesting.stop();
    }
    expect(failures).toBe(3);
    expect(ingesting.status()).toMatchObject({ appended: 3, deadLetters: 0, retries: 3 });
    expect((await store.readStream('customer-c-9')).filter((e) => e.type === 'TouchpointVisited').map((e) => e.eventId)).toEqual(['o-1', 'o-2', 'o-3']);
    expect(await readTopic(kafka, run.topics.deadLetters)).toEqual([]);
    await store.close();
  }, 60_000);
});
