import type { EventStore } from '@journeyline/event-store';
import { CustomerStateCache, type PersonalDataSealer, type WireLimits } from '@journeyline/recording';
import { Partitioners, type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import { errorFields, silentLog, type KafkaLog } from '../kafka-log';
import type { Telemetry } from '../telemetry/telemetry';
import { deadLetterRecord, type DeadLetter } from './dead-letter';
import { ingestMessageBatch, type BatchIngestion } from './message-batch-ingestion';
import { sourceMessageOf } from './source-message';

export interface JourneyEventConsumerOptions {
  kafka: Kafka;
  store: EventStore;
  /** Seals personal fields before they are stored (libs/privacy's PersonalData). */
  personal: PersonalDataSealer;
  /** The events topic and its dead-letter topic. */
  topic: string;
  deadLetterTopic: string;
  groupId: string;
  timeZone: string;
  /** Limits on free-form `properties`; default DEFAULT_WIRE_LIMITS. */
  limits?: WireLimits;
  log?: KafkaLog;
  telemetry?: Telemetry;
  /** Where a new group starts: the beginning of the topic (default), or only new messages. */
  fromBeginning?: boolean;
  /** kafkajs consumer settings; the defaults are kafkajs' own. */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  rebalanceTimeoutMs?: number;
  maxBytesPerPartition?: number;
  /** Longest a fetch waits for new messages (default 1,000 ms; a graceful stop waits for it). */
  maxWaitTimeMs?: number;
  /** Partition batches processed at once (each is its own store transaction). Default 2. */
  partitionsConsumedConcurrently?: number;
  /** Backoff between attempts of a batch that failed on a transient error. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** After a batch is durable and its offset committed: e.g. wake the projector. */
  onRecorded?: (outcome: BatchIngestion) => void;
  /** kafkajs stopped for good (a crash it will not restart from): the process should exit. */
  onFatal?: (error: unknown) => void;
  clock?: () => Date;
  /** Customers whose folded state is kept between batches (default 10,000; 0 reads every stream whole). */
  stateCacheCustomers?: number;
  /**
   * Test seam: runs after a batch is recorded (and its dead letters sent) and before its offset
   * is committed; a crash here is the case at-least-once delivery exists for.
   */
  beforeCommit?: (outcome: BatchIngestion) => void | Promise<void>;
}

export type ConsumerState = 'stopped' | 'starting' | 'running' | 'retrying' | 'crashed';

export interface ConsumerStatus {
  state: ConsumerState;
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  memberId: string | null;
  /** Partitions of the events topic this worker owns now. */
  partitions: number[];
  /** Counts since this process started. */
  consumed: number;
  appended: number;
  duplicates: number;
  deadLetters: number;
  retries: number;
  lastError: string | null;
  lastBatchAt: string | null;
}

/**
 * Consumes wire events from Kafka into the event store, one partition batch at a time:
 * parse every message, dead-letter the bad ones, record the rest in one atomic append, and only
 * then commit the batch's offset. At-least-once: a crash or a rebalance before the commit
 * redelivers the batch, and eventIds (for messages without one, their coordinates) make the
 * second recording a no-op, so the log holds every event exactly once.
 *
 * A transient failure (store unavailable, a concurrent writer after all retries, or anything
 * unexpected) is retried with backoff on the same batch, offsets uncommitted: it never sends a
 * message to the dead-letter topic. If the partition is taken away meanwhile, the batch is
 * abandoned unresolved for its new owner.
 */
export class JourneyEventConsumer {
  private readonly consumer: Consumer;
  private readonly producer: Producer;
  private readonly log: KafkaLog;
  private readonly abort = new AbortController();
  private readonly states: CustomerStateCache | undefined;
  private readonly counts = { consumed: 0, appended: 0, duplicates: 0, deadLetters: 0, retries: 0 };
  private state: ConsumerState = 'stopped';
  private memberId: string | null = null;
  private partitions: number[] = [];
  private lastError: string | null = null;
  private lastBatchAt: string | null = null;

  constructor(private readonly options: JourneyEventConsumerOptions) {
    this.log = options.log ?? silentLog;
    const stateCacheCustomers = options.stateCacheCustomers ?? 10_000;
    this.states = stateCacheCustomers > 0 ? new CustomerStateCache(stateCacheCustomers) : undefined;
    this.consumer = options.kafka.consumer({
      groupId: options.groupId,
      ...(options.sessionTimeoutMs ? { sessionTimeout: options.sessionTimeoutMs } : {}),
      ...(options.heartbeatIntervalMs ? { heartbeatInterval: options.heartbeatIntervalMs } : {}),
      ...(options.rebalanceTimeoutMs ? { rebalanceTimeout: options.rebalanceTimeoutMs } : {}),
      ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
      // A stop waits for the fetch in flight: keep the long poll short.
      maxWaitTimeInMs: options.maxWaitTimeMs ?? 1000,
    });
    // Idempotent, and retried until the broker takes it: a retry after a lost ack is not a
    // second dead letter, and the batch cannot commit before its dead letters are written anyway.
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5000 },
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => {
      this.memberId = payload.memberId;
      this.partitions = [...(payload.memberAssignment[options.topic] ?? [])].sort((a, b) => a - b);
      this.log.info({ groupId: options.groupId, memberId: payload.memberId, topic: options.topic, partitions: this.partitions }, 'consumer joined the group');
    });
    this.consumer.on(this.consumer.events.CRASH, ({ payload }) => {
      this.lastError = String(payload.error);
      this.log.error({ restart: payload.restart, ...errorFields(payload.error) }, 'consumer crashed');
      if (!payload.restart) {
        this.state = 'crashed';
        options.onFatal?.(payload.error);
      }
    });
  }

  async start(): Promise<void> {
    this.state = 'starting';
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 2,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.state = 'running';
  }

  /**
   * Graceful stop: the batch in hand finishes and commits (or, if it is retrying, is abandoned
   * uncommitted), then the consumer leaves the group so its partitions move at once.
   */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.consumer.disconnect();
    await this.producer.disconnect();
    this.state = 'stopped';
    this.partitions = [];
  }

  status(): ConsumerStatus {
    return {
      state: this.state,
      groupId: this.options.groupId,
      topic: this.options.topic,
      deadLetterTopic: this.options.deadLetterTopic,
      memberId: this.memberId,
      partitions: this.partitions,
      ...this.counts,
      lastError: this.lastError,
      lastBatchAt: this.lastBatchAt,
    };
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    if (batch.messages.length === 0) return;
    const started = process.hrtime.bigint();
    const { topic, partition } = batch;
    const messages = batch.messages.map((m) => sourceMessageOf(topic, partition, m));
    const clock = this.options.clock ?? (() => new Date());
    let outcome: BatchIngestion | null = null;
    let deadLettersSent = false;
    for (let attempt = 1; ; attempt++) {
      if (!isRunning() || isStale() || this.abort.signal.aborted) {
        // Unresolved: whoever owns the partition next reads these messages again.
        this.log.warn(
          { topic, partition, firstOffset: batch.firstOffset(), lastOffset: batch.lastOffset(), recorded: outcome !== null },
          'batch abandoned before its commit; it will be delivered again',
        );
        return;
      }
      try {
        outcome ??= await ingestMessageBatch(this.options.store, messages, {
          personal: this.options.personal,
          timeZone: this.options.timeZone,
          limits: this.options.limits,
          clock,
          states: this.states,
        });
        if (!deadLettersSent && outcome.deadLetters.length > 0) await this.sendDeadLetters(outcome.deadLetters, clock());
        deadLettersSent = true;
        break;
      } catch (error) {
        this.state = 'retrying';
        this.counts.retries++;
        this.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.options.telemetry?.ingestRetries.inc({ error: error instanceof Error ? error.name : 'unknown' });
        const delay = Math.min(this.options.retryMaxMs ?? 5000, (this.options.retryInitialMs ?? 100) * 2 ** (attempt - 1));
        this.log.warn(
          { topic, partition, firstOffset: batch.firstOffset(), attempt, delayMs: delay, ...errorFields(error) },
          'batch failed; retrying it with its offsets uncommitted',
        );
        await sleep(delay, this.abort.signal);
        try {
          await heartbeat();
        } catch (heartbeatError) {
          this.log.warn(errorFields(heartbeatError), 'heartbeat failed while retrying (rebalance?)');
        }
      }
    }

    await this.options.beforeCommit?.(outcome);
    resolveOffset(batch.lastOffset());
    await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() }] }] });
    this.state = 'running';
    this.lastBatchAt = clock().toISOString();
    this.account(topic, outcome, started);
    this.options.onRecorded?.(outcome);
  }

  private async sendDeadLetters(deadLetters: DeadLetter[], failedAt: Date): Promise<void> {
    await this.producer.send({ topic: this.options.deadLetterTopic, acks: -1, messages: deadLetters.map((d) => deadLetterRecord(d, failedAt)) });
    for (const letter of deadLetters) {
      this.log.warn(
        {
          topic: letter.message.topic,
          partition: letter.message.partition,
          offset: letter.message.offset,
          reason: letter.reason,
          field: letter.field,
          rule: letter.rule,
          detail: letter.detail,
        },
        'message sent to the dead-letter topic',
      );
    }
  }

  private account(topic: string, outcome: BatchIngestion, started: bigint): void {
    const appended = outcome.recorded.filter((r) => !r.event.duplicate).length;
    const duplicates = outcome.recorded.length - appended;
    const consumed = outcome.recorded.length + outcome.deadLetters.length;
    this.counts.consumed += consumed;
    this.counts.appended += appended;
    this.counts.duplicates += duplicates;
    this.counts.deadLetters += outcome.deadLetters.length;
    const telemetry = this.options.telemetry;
    if (!telemetry) return;
    telemetry.messagesConsumed.inc({ topic }, consumed);
    if (appended > 0) telemetry.eventsAppended.inc({ source: 'kafka' }, appended);
    if (duplicates > 0) telemetry.eventsDuplicate.inc({ source: 'kafka' }, duplicates);
    for (const letter of outcome.deadLetters) telemetry.deadLetters.inc({ topic: this.options.deadLetterTopic, reason: letter.reason });
    telemetry.batchSeconds.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
