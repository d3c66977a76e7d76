import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { journeylineProjections, Projector, SqliteReadModelDatabase } from '@journeyline/projections';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { JourneyEventConsumer } from '@journeyline/kafka/ingestion/journey-event-consumer';
import { journeyMessages } from '@journeyline/kafka/testing/journey-messages';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

export interface KafkaIngestBenchOptions {
  /** Default `KAFKA_BROKERS` or 127.0.0.1:9092. */
  brokers?: string[];
  /** Events produced to a fresh topic and then consumed. Default 100,000. */
  events?: number;
  /** Default events / 20 (about the length of a generated journey). */
  customers?: number;
  /** Partitions of the fresh topic. Default 6. */
  partitions?: number;
  /** Also run the projector in the same process, woken after every batch (the worker's setup). Default false. */
  withProjections?: boolean;
  /** Partition batches processed at once. Default 2 (the worker's default). */
  partitionsConsumedConcurrently?: number;
  /** Where the SQLite store goes; a temp dir (removed afterwards) by default. */
  dir?: string;
}

export interface KafkaIngestBenchResult {
  events: number;
  customers: number;
  partitions: number;
  withProjections: boolean;
  /** Producing the events (idempotent producer, acks=all, 5,000 per request): not part of the rate. */
  produceSeconds: number;
  /** From the first batch's append to the last one's. */
  ingestSeconds: number;
  /** Events recorded after the first append, divided by ingestSeconds. */
  eventsPerSecond: number;
  batches: number;
  meanBatchSize: number;
  /** From consumer start to the last append: includes joining the group and the first fetch. */
  wallSeconds: number;
  /** The process's peak RSS: includes generating and producing the messages first. */
  peakRssMiB: number;
  /** The highest RSS seen while consuming (sampled every 20 ms from consumer start to the last append). */
  consumingPeakRssMiB: number;
}

/**
 * The Kafka ingest benchmark: produce N generated journey events keyed by customer to a fresh
 * topic, then consume them with one in-process JourneyEventConsumer into a fresh SQLite store
 * (parse + validate every message, one atomic append and one offset commit per partition
 * batch) and measure events/s from the first append to the last. Needs a reachable broker.
 */
export async function measureKafkaIngest(options: KafkaIngestBenchOptions = {}): Promise<KafkaIngestBenchResult> {
  const brokers = options.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const events = options.events ?? 100_000;
  const customers = options.customers ?? Math.max(1, Math.round(events / 20));
  const partitions = options.partitions ?? 6;
  const withProjections = options.withProjections ?? false;
  const kafka = new Kafka({ brokers, clientId: 'journeyline-bench', logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });
  const id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const topic = `bench.${id}.journey.events`;
  const deadLetterTopic = `${topic}.dlq`;
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-kafka-bench-'));
  const admin = kafka.admin();
  await admin.connect();
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
  const readModels = withProjections ? SqliteReadModelDatabase.open(path.join(dir, 'read-models.db')) : null;
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: partitions },
        { topic: deadLetterTopic, numPartitions: partitions },
      ],
    });
    // let go of the messages once produced: the consumer's memory is what is measured after
    let messages: ReturnType<typeof journeyMessages> | null = journeyMessages({ events, customers, seed: 101 });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const produceStarted = process.hrtime.bigint();
    for (let i = 0; i < messages.length; i += 5000) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 5000).map(({ key, value }) => ({ key, value })) });
    }
    messages = null;
    const produceSeconds = seconds(produceStarted);
    await producer.disconnect();

    const projector = readModels ? new Projector(store, readModels, journeylineProjections(store, 'Asia/Ho_Chi_Minh')) : null;
    await projector?.init();
    let recorded = 0;
    let batches = 0;
    let firstBatch = 0;
    let firstAt = 0n;
    let lastAt = 0n;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const consumer = new JourneyEventConsumer({
      kafka,
      store,
      personal: localPersonalData(),
      topic,
      deadLetterTopic,
      groupId: `bench-${id}`,
      timeZone: 'Asia/Ho_Chi_Minh',
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
      onRecorded: (outcome) => {
        const now = process.hrtime.bigint();
        const count = outcome.recorded.length + outcome.deadLetters.length;
        if (batches === 0) {
          firstAt = now;
          firstBatch = count;
        }
        batches++;
        recorded += count;
        lastAt = now;
        projector?.wake();
        if (recorded >= events) done();
      },
    });
    let consumingPeak = process.memoryUsage.rss();
    const sampler = setInterval(() => (consumingPeak = Math.max(consumingPeak, process.memoryUsage.rss())), 20);
    const consumeStarted = process.hrtime.bigint();
    await consumer.start();
    await finished;
    clearInterval(sampler);
    const wallSeconds = Number(lastAt - consumeStarted) / 1e9;
    await consumer.stop();
    await projector?.stop();
    const ingestSeconds = Number(lastAt - firstAt) / 1e9;
    return {
      events,
      customers,
      partitions,
      withProjections,
      produceSeconds: round(produceSeconds),
      ingestSeconds: round(ingestSeconds),
      eventsPerSecond: Math.round((recorded - firstBatch) / ingestSeconds),
      batches,
      meanBatchSize: Math.round(recorded / batches),
      wallSeconds: round(wallSeconds),
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      consumingPeakRssMiB: Math.round(consumingPeak / 1024 / 1024),
    };
  } finally {
    await admin.deleteTopics({ topics: [topic, deadLetterTopic] }).catch(() => undefined);
    await admin.disconnect();
    await readModels?.close();
    await store.close();
    if (!options.dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** `node -r @swc-node/register libs/kafka/src/kafka-ingest.bench.ts [events] [--with-projections]`: prints the result as one JSON line. */
if (require.main === module) {
  const events = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 100_000);
  measureKafkaIngest({ events, withProjections: process.argv.includes('--with-projections') })
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
