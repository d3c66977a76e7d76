import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { journeyMessages } from '@journeyline/kafka/testing/journey-messages';
import { loadConfig, personalData } from '@journeyline/platform';
import { createTopics, kafkaTestRun, produce, readTopic, testKafka } from './support/kafka-topics';
import { startWorker, type WorkerHealth, type WorkerProcess } from './support/kafka-worker';
import { expectEveryMessageStoredOnce, expectReadModelsEqualRebuild, readLog, sqliteWorkerStores } from './support/kafka-worker-checks';
import { createPrivateKafkaBroker, type PrivateKafkaBroker } from './support/private-kafka-broker';

/**
 * The Kafka broker stopped and started again while a worker process consumes: on a broker of
 * its own (its own run directory and ports), never the one the other Kafka tests share. The
 * worker stays up through the outage, takes up where its committed offsets say when the broker is
 * back (a batch stored but not committed comes again and is recognised by its event ids), and in
 * the end the log holds every event exactly once, in each customer's order, the read models equal
 * a clean rebuild, and every stage change reached the outbound topic.
 */
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

describe('Kafka broker restarted mid-ingestion under a worker process (e2e, private broker)', () => {
  let broker: PrivateKafkaBroker;
  let worker: WorkerProcess | null = null;
  let dataDir = '';

  beforeAll(async () => {
    broker = await createPrivateKafkaBroker();
    await broker.start();
  }, 300_000);
  afterAll(async () => {
    // still set: the test failed with the worker running (or dead); its output says why
    if (worker) console.log(`the worker's last output:\n${worker.tail(80)}`);
    worker?.kill('SIGKILL');
    await worker?.exited;
    await broker?.remove();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('the broker stopped (SIGTERM) and started while the worker consumes: the worker stays up and resumes, each event stored once, read models equal a rebuild, every stage change published', async () => {
    const phases: string[] = [];
    let since = Date.now();
    const phase = (name: string) => {
      phases.push(`${name} ${((Date.now() - since) / 1000).toFixed(1)} s`);
      since = Date.now();
    };
    const run = kafkaTestRun('broker-restart');
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-broker-restart-'));
    const kafka = testKafka(broker.brokers);
    await createTopics(kafka, Object.values(run.topics), 6);
    const messages = journeyMessages({ events: 6_000, customers: 300, seed: 41 });
    const [before, after] = [messages.slice(0, 4_500), messages.slice(4_500)];
    await produce(
      kafka,
      run.topics.events,
      before.map(({ key, value }) => ({ key, value })),
    );

    phase('topics and the first 4,500 events');
    worker = await startWorker({
      KAFKA_BROKERS: broker.brokers.join(','),
      KAFKA_TOPIC: run.topics.events,
      KAFKA_DLQ_TOPIC: run.topics.deadLetters,
      KAFKA_STAGE_CHANGES_TOPIC: run.topics.stageChanges,
      KAFKA_CHURN_FLAGS_TOPIC: run.topics.churnFlags,
      KAFKA_ALERTS_TOPIC: run.topics.alerts,
      KAFKA_GROUP_ID: run.groupId,
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      // Small fetches: many batches, so the broker goes away between a batch's append and its commit.
      KAFKA_MAX_BYTES_PER_PARTITION: '16384',
      JOURNEYLINE_DATA_DIR: dataDir,
      JOURNEYLINE_TZ: TIME_ZONE,
    });
    const consuming = await worker.waitFor('the worker to append 500 events', (h) => h.kafka.consumer.appended >= 500);
    phase('worker start');
    await broker.stop();
    phase('broker stop');
    const whenStopped = await worker.health();
    // mid-ingestion: the broker went away with messages still to consume
    expect(whenStopped.kafka.consumer.appended).toBeLessThan(before.length);

    // Down for a while: the worker process stays up and answers /health at once (an orchestrator's
    // probe waits a few seconds), saying the broker does not answer; nothing it has is lost.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const asked = Date.now();
    const during = await worker.health();
    const healthMs = Date.now() - asked;
    expect(healthMs).toBeLessThan(5000);
    expect(during.kafka.lag).toBeNull();
    expect(during.kafka.lagError).toMatch(/the Kafka broker did not answer within \d+ ms|ECONNREFUSED|Connection error/);
    expect(during.kafka.consumer.appended).toBeGreaterThanOrEqual(whenStopped.kafka.consumer.appended);

    await broker.start();
    phase('broker start');
    await produce(
      kafka,
      run.topics.events,
      after.map(({ key, value }) => ({ key, value })),
    );
    phase('the last 1,500 events');
    const final = await worker.waitFor('the worker to settle after the restart', settled, { timeoutMs: 120_000, stableForMs: 1500 });
    phase('the worker settling');
    expect(final.kafka.deadLetters).toMatchObject({ sentByThisWorker: 0, inTopic: 0 });
    expect(await worker.stop()).toEqual({ code: 0, signal: null });
    worker = null;
    phase('worker stop');

    const stores = await sqliteWorkerStores(dataDir);
    const personal = await personalData(loadConfig({ JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_TZ: TIME_ZONE }));
    try {
      const log = await readLog(stores.store);
      expectEveryMessageStoredOnce(log, messages, run.topics.events);
      await expectReadModelsEqualRebuild(stores, TIME_ZONE, personal);
      // Outbound is at least once: a send the broker took but did not acknowledge before it stopped may come twice.
      const stageChanges = new Set(log.filter((e) => e.type === 'StageEntered' || e.type === 'StageRegressed').map((e) => e.eventId));
      const published = (await readTopic(kafka, run.topics.stageChanges)).map((m) => m.headers['x-journeyline-event-id']);
      expect([...stageChanges].filter((id) => !published.includes(id))).toEqual([]);
      console.log(
        `broker restart: ${messages.length} events; the worker had appended ${consuming.kafka.consumer.appended} when asked to stop the broker, ` +
          `${whenStopped.kafka.consumer.appended} when it was down; ${final.kafka.consumer.duplicates} redelivered and recognised; ` +
          `${stageChanges.size} stage changes, ${published.length} published (during the outage /health answered in ${healthMs} ms, lagError: ${during.kafka.lagError}; the consumer was ${during.kafka.consumer.state}, lastError: ${during.kafka.consumer.lastError}); ` +
          phases.join(', '),
      );
    } finally {
      await personal.vault.close();
      await stores.close();
    }
  }, 240_000);
});

/** Everything consumed, projected, evaluated for churn risk and published, and nothing moving. */
function settled(h: WorkerHealth): boolean {
  return h.kafka.lag === 0 && h.kafka.consumer.state === 'running' && h.projections.lag === 0 && h.projections.churnRisk?.lag === 0 && h.outbound.lag === 0;
}
