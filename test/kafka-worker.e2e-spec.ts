import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { journeyMessages } from '@journeyline/kafka/testing/journey-messages';
import { useKafkaBroker } from './support/kafka-broker';
import { createTopics, deleteTopics, kafkaTestRun, produce, readTopic, testKafka, type KafkaTestRun } from './support/kafka-topics';
import { startWorker, type WorkerHealth, type WorkerProcess } from './support/kafka-worker';
import {
  expectEveryMessageStoredOnce,
  expectReadModelsEqualRebuild,
  postgresWorkerStores,
  readLog,
  sqliteWorkerStores,
  type WorkerStores,
} from './support/kafka-worker-checks';
import { createTestDatabase, type TestDatabase } from './support/postgres-test-database';

/**
 * The scale-out worker as real processes on a real broker: killed with SIGKILL mid-run and
 * restarted, or two of them sharing the partitions with one stopped mid-run. Afterwards the log
 * holds every event exactly once (in each customer's order) and the read models equal a clean
 * rebuild. Two workers run on one SQLite file (WAL + busy timeout) and on PostgreSQL (the
 * machine's cluster, a database of their own), the realistic multi-worker setup.
 */
const TIME_ZONE = 'Asia/Ho_Chi_Minh';

describe('Kafka worker processes on a real broker (e2e)', () => {
  const broker = useKafkaBroker();
  const dirs: string[] = [];
  const workers: WorkerProcess[] = [];
  const runs: KafkaTestRun[] = [];
  const databases: TestDatabase[] = [];

  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.kill('SIGKILL');
      await worker.exited;
    }
  });
  broker.cleanUp(async () => {
    await deleteTopics(
      testKafka(broker.brokers),
      runs.flatMap((r) => Object.values(r.topics)),
    );
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    for (const db of databases) await db.drop();
  });

  function setUp(name: string) {
    const run = kafkaTestRun(name);
    runs.push(run);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `journeyline-${name}-`));
    dirs.push(dataDir);
    const env = {
      KAFKA_BROKERS: broker.brokers.join(','),
      KAFKA_TOPIC: run.topics.events,
      KAFKA_DLQ_TOPIC: run.topics.deadLetters,
      KAFKA_STAGE_CHANGES_TOPIC: run.topics.stageChanges,
      KAFKA_CHURN_FLAGS_TOPIC: run.topics.churnFlags,
      KAFKA_GROUP_ID: run.groupId,
      // Quick failure detection so a SIGKILLed member's partitions move within seconds.
      KAFKA_SESSION_TIMEOUT_MS: '6000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '500',
      // Small fetches: many batches, so a kill lands between an append and its commit.
      KAFKA_MAX_BYTES_PER_PARTITION: '32768',
      JOURNEYLINE_OUTBOUND_LEASE_MS: '5000',
      JOURNEYLINE_DATA_DIR: dataDir,
      JOURNEYLINE_TZ: TIME_ZONE,
    };
    return { run, dataDir, env };
  }

  async function spawnWorker(env: Record<string, string>): Promise<WorkerProcess> {
    const worker = await startWorker(env);
    workers.push(worker);
    return worker;
  }

  /** Everything consumed, projected, evaluated for churn risk and published, and nothing moving. */
  const settled = (h: WorkerHealth) =>
    h.kafka.lag === 0 && h.kafka.consumer.state === 'running' && h.projections.lag === 0 && h.projections.churnRisk?.lag === 0 && h.outbound.lag === 0;

  it('10,000 events on 6 partitions for 500 customers, the worker SIGKILLed twice mid-run: each event stored once, read models equal a rebuild', async () => {
    const { run, dataDir, env } = setUp('crash');
    const kafka = testKafka(broker.brokers);
    await createTopics(kafka, Object.values(run.topics), 6);
    // Every 25th message carries no eventId: its id comes from its Kafka coordinates, which a redelivery keeps.
    const messages = journeyMessages({ events: 10_000, customers: 500, seed: 11, withoutEventId: (_, i) => i % 25 === 0 });
    const producing = produce(
      kafka,
      run.topics.events,
      messages.map(({ key, value }) => ({ key, value })),
      { chunk: 250, pauseMs: 50 },
    );

    let worker = await spawnWorker(env);
    await worker.waitFor('the first worker to append 2,000 events', (h) => h.kafka.consumer.appended >= 2000);
    worker.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');

    // The second one kills itself with SIGKILL right after an append and before its offset
    // commit (a test hook): the one crash point where a batch is stored but will be delivered again.
    worker = await spawnWorker({ ...env, JOURNEYLINE_TEST_CRASH_BEFORE_COMMIT: '15' });
    expect((await worker.exited).signal).toBe('SIGKILL');
    expect(worker.logs.some((l) => l.msg === 'test hook: SIGKILL between an append and its offset commit')).toBe(true);

    worker = await spawnWorker(env);
    await producing;
    const final = await worker.waitFor('the last worker to settle', settled, { timeoutMs: 120_000, stableForMs: 1500 });
    expect(final.kafka.deadLetters).toMatchObject({ sentByThisWorker: 0, inTopic: 0 });
    // the batch stored before the second crash came again, and was recognised by its eventIds
    expect(final.kafka.consumer.duplicates).toBeGreaterThan(0);
    expect(await worker.stop()).toEqual({ code: 0, signal: null });

    const stores = await sqliteWorkerStores(dataDir);
    try {
      const log = await readLog(stores.store);
      expectEveryMessageStoredOnce(log, messages, run.topics.events);
      expect(log.some((e) => e.eventId.startsWith(`kafka ${run.topics.events} `))).toBe(true);
      await expectReadModelsEqualRebuild(stores, TIME_ZONE);
    } finally {
      await stores.close();
    }
  }, 200_000);

  /** Two workers share the partitions; B is stopped with SIGTERM mid-run and A takes over. */
  async function twoWorkers(
    name: string,
    storeEnv: (dataDir: string) => Promise<Record<string, string>>,
    openStores: (dataDir: string) => Promise<WorkerStores>,
  ) {
    const { run, dataDir, env: base } = setUp(name);
    // The default lease (10 s): nothing crashes here, so B hands it over when it stops, and a lease
    // shorter than the default would only test how long the shared file's write lock can be held.
    const env = { ...base, JOURNEYLINE_OUTBOUND_LEASE_MS: '10000', ...(await storeEnv(dataDir)) };
    const kafka = testKafka(broker.brokers);
    await createTopics(kafka, Object.values(run.topics), 6);
    const messages = journeyMessages({ events: 8_000, customers: 400, seed: 23 });
    const [a, b] = await Promise.all([spawnWorker(env), spawnWorker(env)]);
    await a.waitFor('both workers to own partitions', (h) => h.kafka.consumer.partitions.length > 0 && h.kafka.consumer.partitions.length < 6);
    const producing = produce(
      kafka,
      run.topics.events,
      messages.map(({ key, value }) => ({ key, value })),
      { chunk: 200, pauseMs: 40 },
    );

    await b.waitFor('worker B to append 1,000 events', (h) => h.kafka.consumer.appended >= 1000);
    await a.waitFor('worker A to append too', (h) => h.kafka.consumer.appended > 0);
    expect(await b.stop()).toEqual({ code: 0, signal: null });
    expect(b.logs.some((l) => l.msg === 'worker stopped')).toBe(true);

    await a.waitFor('worker A to take over all partitions', (h) => h.kafka.consumer.partitions.length === 6);
    await producing;
    const final = await a.waitFor('worker A to settle', settled, { timeoutMs: 120_000, stableForMs: 1500 });
    expect(final.kafka.deadLetters.inTopic).toBe(0);
    expect(await a.stop()).toEqual({ code: 0, signal: null });

    const stores = await openStores(dataDir);
    try {
      const log = await readLog(stores.store);
      expectEveryMessageStoredOnce(log, messages, run.topics.events);
      await expectReadModelsEqualRebuild(stores, TIME_ZONE);
      // No crash here, so the publishing lease handed over cleanly: every stage change exactly once.
      const stageChanges = log
        .filter((e) => e.type === 'StageEntered' || e.type === 'StageRegressed')
        .map((e) => e.eventId)
        .sort();
      const published = (await readTopic(kafka, run.topics.stageChanges)).map((m) => m.headers['x-journeyline-event-id']).sort();
      expect(published).toEqual(stageChanges);
    } finally {
      await stores.close();
    }
  }

  it('two workers in one group on one SQLite file; one stopped mid-run with SIGTERM: each event stored once, read models equal a rebuild, outbound published once', async () => {
    await twoWorkers('group-sqlite', async () => ({}), sqliteWorkerStores);
  }, 200_000);

  it('two workers in one group on PostgreSQL; one stopped mid-run with SIGTERM: each event stored once, read models equal a rebuild, outbound published once', async () => {
    let url = '';
    await twoWorkers(
      'group-postgres',
      async () => {
        const db = await createTestDatabase('jl_kafka');
        databases.push(db);
        url = db.url;
        return { JOURNEYLINE_STORE: 'postgres', JOURNEYLINE_STORE_URL: db.url };
      },
      () => postgresWorkerStores(url),
    );
  }, 200_000);
});
