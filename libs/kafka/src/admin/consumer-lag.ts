import type { Admin } from 'kafkajs';

export interface PartitionLag {
  partition: number;
  /** Next offset the group will read (the committed offset), or null before its first commit. */
  committed: string | null;
  /** Offset the next produced message will get. */
  high: string;
  lag: number;
}

export interface ConsumerGroupLag {
  groupId: string;
  topic: string;
  total: number;
  partitions: PartitionLag[];
}

/**
 * How many messages of `topic` the whole group has not committed yet, from the broker's view
 * (committed offsets against high watermarks), so it is the same whichever worker answers. A
 * partition the group never committed counts from its low watermark (the group starts at the
 * beginning).
 */
export async function consumerGroupLag(admin: Admin, groupId: string, topic: string): Promise<ConsumerGroupLag> {
  const [watermarks, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId, topics: [topic] })]);
  const committedByPartition = new Map((committed.find((t) => t.topic === topic)?.partitions ?? []).map((p) => [p.partition, p.offset]));
  const partitions = watermarks
    .map((w) => {
      const offset = committedByPartition.get(w.partition);
      const hasCommit = offset !== undefined && BigInt(offset) >= 0n;
      const from = hasCommit ? BigInt(offset) : BigInt(w.low);
      const lag = BigInt(w.high) - from;
      return { partition: w.partition, committed: hasCommit ? offset : null, high: w.high, lag: Number(lag > 0n ? lag : 0n) };
    })
    .sort((a, b) => a.partition - b.partition);
  return { groupId, topic, total: partitions.reduce((sum, p) => sum + p.lag, 0), partitions };
}
