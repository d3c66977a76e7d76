import type { IHeaders, KafkaMessage } from 'kafkajs';

/** One message as read from the events topic, with where it came from. */
export interface SourceMessage {
  topic: string;
  partition: number;
  /** Kafka offsets are 64-bit: kept as the decimal string kafkajs gives. */
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Milliseconds since the epoch, as a string (the producer's CreateTime unless the topic says LogAppendTime). */
  timestamp: string;
  headers?: IHeaders;
}

export function sourceMessageOf(topic: string, partition: number, message: KafkaMessage): SourceMessage {
  return { topic, partition, offset: message.offset, key: message.key, value: message.value, timestamp: message.timestamp, headers: message.headers };
}
