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
    if (alreadyThere || (error as { type?: string }).type === 'TOPIC_ALREADY_EXISTS') return missing.map((t) => t.topic);
    // Created, but a fresh broker did not know their partitions yet when asked for the leaders
    // ("This server does not host this topic-partition", which kafkajs does not retry): wait for them.
    if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    await waitForLeaders(
      admin,
      missing.map((t) => t.topic),
    );
  }
  return missing.map((t) => t.topic);
}

/** Asks for the topics' metadata until every partition has a leader (about 10 s at most). */
async function waitForLeaders(admin: Admin, topics: string[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const { topics: known } = await admin.fetchTopicMetadata({ topics });
      if (known.length === topics.length && known.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt >= 20) throw error;
    }
    if (attempt >= 20) throw new Error(`the new topics ${topics.join(', ')} have no leader after 10 s; is the broker healthy?`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
