import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { ALERTS_STREAM, decideAlerts, type Target } from '@journeyline/journey';
import { OUTBOUND_HEADERS, OutboundPublisher } from '@journeyline/kafka';
import { SqliteReadModelDatabase } from '@journeyline/projections';
import type { Kafka } from 'kafkajs';
import { useKafkaBroker } from './support/kafka-broker';
import { createTopics, deleteTopics, kafkaTestRun, readTopic, testKafka, type KafkaTestRun } from './support/kafka-topics';

/**
 * Breaches and recoveries leave on the alerts topic (`journeyline.alerts`, KAFKA_ALERTS_TOPIC)
 * through the worker's outbound publisher, keyed by target id, once each: a second publisher
 * run publishes nothing again.
 */
describe('alerts on a real Kafka broker (e2e)', () => {
  const broker = useKafkaBroker();
  let kafka: Kafka;
  let dir: string;
  let store: SqliteEventStore;
  let readModels: SqliteReadModelDatabase;
  let run: KafkaTestRun;

  beforeAll(async () => {
    kafka = testKafka(broker.brokers);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-alerts-kafka-'));
    store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
    readModels = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
    run = kafkaTestRun('alerts');
    await createTopics(kafka, [run.topics.alerts, run.topics.stageChanges, run.topics.churnFlags], 3);
  });
  broker.cleanUp(async () => {
    await readModels?.close();
    await store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await deleteTopics(kafka, [run.topics.alerts, run.topics.stageChanges, run.topics.churnFlags]);
  });

  it('an opened and a closed alert are published once each, keyed by target, as the webhooks see them', async () => {
    const target: Target = { targetId: 't-hotline', metric: 'csat', scope: { kind: 'touchpoint', value: 'hotline' }, min: 80 };
    const window = { from: '2026-11-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' };
    const opened = decideAlerts([], { readings: [{ target, reading: { value: 20, low: 11.8, high: 31.7, n: 60 } }], window, at: '2026-11-30T10:00:00.000Z' });
    const closed = decideAlerts(opened, { readings: [{ target, reading: { value: 85, low: 78, high: 90, n: 200 } }], window, at: '2026-12-01T10:00:00.000Z' });
    for (const event of [...opened, ...closed])
      await store.append([
        {
          streamId: ALERTS_STREAM,
          expectedRevision: 'any',
          events: [{ eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, data: { ...event.data } }],
        },
      ]);

    const first = new OutboundPublisher({ kafka, store, db: readModels, topics: run.topics });
    try {
      await first.catchUp();
    } finally {
      await first.stop();
    }
    const again = new OutboundPublisher({ kafka, store, db: readModels, topics: run.topics });
    try {
      expect(await again.catchUp()).toBe(0);
    } finally {
      await again.stop();
    }

    const messages = await readTopic(kafka, run.topics.alerts);
    expect(messages.map((m) => [m.key, m.headers[OUTBOUND_HEADERS.type]])).toEqual([
      ['t-hotline', 'alert.opened'],
      ['t-hotline', 'alert.closed'],
    ]);
    const value = JSON.parse(messages[1].value!.toString());
    expect(value).toMatchObject({ type: 'alert.closed', data: { targetId: 't-hotline', reason: 'recovered', value: 85, target: 80 } });
    expect(await readTopic(kafka, run.topics.churnFlags)).toEqual([]);
  }, 60_000);
});
