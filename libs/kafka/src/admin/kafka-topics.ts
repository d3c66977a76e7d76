import type { Admin } from 'kafkajs';

export interface TopicSpec {
  topic: string;
  /** Default: the broker's `num.partitions`. */
  numPartitions?: number;
}

/**
 * Creates the topics that do not exist yet (broker defaults for replication) and returns their
 * names. Brokers in production often disable auto-creation; creating them here means a fresh
 * cluster works, and a worker starting beside another one that just created them is fine.
 */
export async function ensureTopics(admin: Admin, topics: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = topics.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({ topic: t.topic, ...(t.numPartitions ? { numPartitions: t.numPartitions } : {}) })),
    });
  } catch (error) {
    // Another worker created them between our list and our create.
    const alreadyThere = (error as { type?: string; errors?: { type?: string }[] }).errors?.every((e) => e.type === 'TOPIC_ALREADY_EXISTS');
    if (!alreadyThere && (error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  }
  return missing.map((t) => t.topic);
}
