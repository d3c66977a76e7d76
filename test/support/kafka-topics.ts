import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type IHeaders, type Message } from 'kafkajs';
import type { JourneyTopics } from '@journeyline/kafka';

/** Topic and group names no other test run uses: runs never see each other's messages or offsets. */
export interface KafkaTestRun {
  id: string;
  topics: JourneyTopics;
  groupId: string;
}

export function kafkaTestRun(name: string): KafkaTestRun {
  const id = `${name}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  return {
    id,
    topics: {
      events: `test.${id}.journey.events`,
      deadLetters: `test.${id}.journey.events.dlq`,
      stageChanges: `test.${id}.journey.stage-changes`,
      churnFlags: `test.${id}.journey.churn-flags`,
      alerts: `test.${id}.journeyline.alerts`,
    },
    groupId: `test-${id}-workers`,
  };
}

export function testKafka(brokers: string[], clientId = 'journeyline-test'): Kafka {
  return new Kafka({ brokers, clientId, logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 200 } });
}

export async function createTopics(kafka: Kafka, topics: string[], numPartitions = 6): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: topics.map((topic) => ({ topic, numPartitions })) });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Produces messages keyed by customer id (the default partitioner: one customer, one
 * partition) in chunks, pausing between chunks so a consumer works through them while they
 * arrive. Idempotent producer, acks=all. Resolves when the last chunk is acknowledged.
 */
export async function produce(kafka: Kafka, topic: string, messages: Message[], options: { chunk?: number; pauseMs?: number } = {}): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const chunk = options.chunk ?? 1000;
    for (let i = 0; i < messages.length; i += chunk) {
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + chunk) });
      if (options.pauseMs && i + chunk < messages.length) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

/** Every message on the topic now (up to the high watermarks at the call), partition by partition in offset order. */
export async function readTopic(kafka: Kafka, topic: string, timeoutMs = 30_000): Promise<ReadMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const watermarks = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
  const remaining = new Map(watermarks.filter((w) => BigInt(w.high) > BigInt(w.low)).map((w) => [w.partition, BigInt(w.high)]));
  if (remaining.size === 0) return [];
  const consumer = kafka.consumer({ groupId: `test-reader-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 200 });
  const out: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(`read ${out.length} messages from ${topic}; still waiting for partitions ${[...remaining.keys()].join(', ')} after ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const high = remaining.get(batch.partition);
            if (high === undefined) return;
            for (const m of batch.messages) {
              if (BigInt(m.offset) >= high) break;
              out.push({ partition: batch.partition, offset: m.offset, key: m.key?.toString() ?? null, value: m.value, headers: stringHeaders(m.headers) });
            }
            if (BigInt(batch.lastOffset()) + 1n >= high) remaining.delete(batch.partition);
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return out.sort((a, b) => a.partition - b.partition || (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name, Array.isArray(value) ? value.map(String).join(',') : String(value ?? '')]),
  );
}
