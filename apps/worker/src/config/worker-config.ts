import { DEFAULT_CONSUMER_GROUP, DEFAULT_TOPICS, type JourneyTopics } from '@journeyline/kafka';
import { ConfigError, integer, loadConfig, raw, type Env, type JourneylineConfig } from '@journeyline/platform';

/**
 * The worker's configuration: the part it shares with the server (store, data directory, time
 * zone, churn rules: `loadConfig`, the same variables) plus its own (Kafka, its HTTP port).
 * Read from the environment once and validated at start; nothing else reads process.env.
 */
export const WORKER_CONFIG = Symbol('WORKER_CONFIG');

export interface WorkerConfig {
  /** Store, data directory, time zone, churn rules: exactly as the server reads them. */
  journeyline: JourneylineConfig;
  kafka: {
    brokers: string[];
    clientId: string;
    groupId: string;
    topics: JourneyTopics;
    /** Partitions of the topics the worker creates when they are missing. */
    topicPartitions: number;
    createTopics: boolean;
    fromBeginning: boolean;
    sessionTimeoutMs: number;
    heartbeatIntervalMs: number;
    maxBytesPerPartition: number;
    partitionsConsumedConcurrently: number;
  };
  /** Publish stage changes and churn flags to Kafka. */
  outbound: boolean;
  /** How long a worker's publishing lease lasts unrenewed (a crashed publisher's successor waits this long). */
  outboundLeaseMs: number;
  http: { host: string; port: number };
  /**
   * Test hook, never set in production: after this many recorded batches the worker SIGKILLs
   * itself between an append and its offset commit (JOURNEYLINE_TEST_CRASH_BEFORE_COMMIT).
   */
  crashBeforeCommitAfterBatches: number | null;
}

export function loadWorkerConfig(env: Env): WorkerConfig {
  const journeyline = loadConfig(env);
  const sessionTimeoutMs = integer(env, 'KAFKA_SESSION_TIMEOUT_MS', 30_000, 1_000, 3_600_000);
  const heartbeatIntervalMs = integer(env, 'KAFKA_HEARTBEAT_INTERVAL_MS', Math.min(3_000, Math.floor(sessionTimeoutMs / 3)), 100, 3_600_000);
  if (heartbeatIntervalMs >= sessionTimeoutMs) {
    throw new ConfigError('KAFKA_HEARTBEAT_INTERVAL_MS', `must be less than KAFKA_SESSION_TIMEOUT_MS (${sessionTimeoutMs}), got "${heartbeatIntervalMs}"`);
  }
  return {
    journeyline,
    kafka: {
      brokers: brokers(env, 'KAFKA_BROKERS', '127.0.0.1:9092'),
      clientId: topicName(env, 'KAFKA_CLIENT_ID', 'journeyline-worker'),
      groupId: topicName(env, 'KAFKA_GROUP_ID', DEFAULT_CONSUMER_GROUP),
      topics: {
        events: topicName(env, 'KAFKA_TOPIC', DEFAULT_TOPICS.events),
        deadLetters: topicName(env, 'KAFKA_DLQ_TOPIC', DEFAULT_TOPICS.deadLetters),
        stageChanges: topicName(env, 'KAFKA_STAGE_CHANGES_TOPIC', DEFAULT_TOPICS.stageChanges),
        churnFlags: topicName(env, 'KAFKA_CHURN_FLAGS_TOPIC', DEFAULT_TOPICS.churnFlags),
        alerts: topicName(env, 'KAFKA_ALERTS_TOPIC', DEFAULT_TOPICS.alerts),
      },
      topicPartitions: integer(env, 'KAFKA_TOPIC_PARTITIONS', 6, 1, 10_000),
      createTopics: flag(env, 'KAFKA_CREATE_TOPICS', true),
      fromBeginning: flag(env, 'KAFKA_FROM_BEGINNING', true),
      sessionTimeoutMs,
      heartbeatIntervalMs,
      maxBytesPerPartition: integer(env, 'KAFKA_MAX_BYTES_PER_PARTITION', 1_048_576, 1_024, 104_857_600),
      partitionsConsumedConcurrently: integer(env, 'KAFKA_PARTITIONS_CONCURRENTLY', 2, 1, 64),
    },
    outbound: flag(env, 'JOURNEYLINE_OUTBOUND', true),
    outboundLeaseMs: integer(env, 'JOURNEYLINE_OUTBOUND_LEASE_MS', 10_000, 500, 3_600_000),
    http: {
      host: raw(env, 'WORKER_HOST') ?? '127.0.0.1',
      port: integer(env, 'WORKER_PORT', 3100, 0, 65535),
    },
    crashBeforeCommitAfterBatches:
      raw(env, 'JOURNEYLINE_TEST_CRASH_BEFORE_COMMIT') === undefined ? null : integer(env, 'JOURNEYLINE_TEST_CRASH_BEFORE_COMMIT', 0, 1, 1_000_000),
  };
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const value = raw(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

/** Kafka's legal topic (and group / client id) characters, at most 249 of them. */
function topicName(env: Env, name: string, fallback: string): string {
  const value = raw(env, name) ?? fallback;
  if (!/^[a-zA-Z0-9._-]{1,249}$/.test(value)) {
    throw new ConfigError(name, `must be 1-249 characters of a-z, A-Z, 0-9, ".", "_" or "-", got "${value}"`);
  }
  return value;
}

function brokers(env: Env, name: string, fallback: string): string[] {
  const list = (raw(env, name) ?? fallback)
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const bad = list.find((b) => !/^[^\s:]+:\d{1,5}$/.test(b) || Number(b.split(':').pop()) > 65535);
  if (list.length === 0 || bad !== undefined) {
    throw new ConfigError(name, `must be a comma-separated list of host:port, e.g. 127.0.0.1:9092,10.0.0.2:9092, got "${env[name]}"`);
  }
  return list;
}
