import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import {
  consumerGroupLag,
  createKafkaClient,
  ensureTopics,
  errorFields,
  JourneyEventConsumer,
  Telemetry,
  OutboundPublisher,
  type BatchIngestion,
  type ConsumerGroupLag,
} from '@journeyline/kafka';
import { Followers, type Log } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import type { Admin, Kafka } from 'kafkajs';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker-config';
import { startWorkerHttpServer, type WorkerHttpServer } from '../http/worker-http-server';

export const WORKER_LOG = Symbol('WORKER_LOG');

type Phase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * How long /health and /metrics wait for the broker. kafkajs retries a broker that is down for
 * about 40 s; an orchestrator's probe gives up after a few, and would restart a worker that is
 * only waiting for Kafka to come back.
 */
const BROKER_ANSWER_MS = 2_000;

/**
 * Everything a scale-out worker runs, in one process: the Kafka consumer (events → store), the
 * projector and the churn-risk process (store → read models, flags), the outbound publisher
 * (stage changes and churn flags → Kafka) and the /health + /metrics HTTP server.
 *
 * Start order puts followers first, so the consumer's first batches find them ready; stop order
 * is the reverse: the consumer finishes its batch, commits and leaves the group (its partitions
 * move to the other workers at once), then the followers stop at a checkpoint.
 */
@Injectable()
export class WorkerRuntime implements BeforeApplicationShutdown {
  readonly kafka: Kafka;
  readonly consumer: JourneyEventConsumer;
  readonly publisher: OutboundPublisher | null;
  private readonly admin: Admin;
  private http: WorkerHttpServer | null = null;
  private phase: Phase = 'created';
  private lagCache: { at: number; value: Promise<ConsumerGroupLag> } | null = null;
  private dlqCache: { at: number; value: Promise<number> } | null = null;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) readModels: ReadModelDatabase,
    readonly followers: Followers,
    personal: PersonalData,
    @Inject(Telemetry) readonly telemetry: Telemetry,
    @Inject(WORKER_LOG) private readonly log: Log,
  ) {
    const { kafka: k, journeyline } = config;
    this.kafka = createKafkaClient({ brokers: k.brokers, clientId: k.clientId }, log);
    this.admin = this.kafka.admin();
    this.publisher = config.outbound
      ? new OutboundPublisher({
          kafka: this.kafka,
          store,
          db: readModels,
          topics: k.topics,
          leaseMs: config.outboundLeaseMs,
          log: log.child({ component: 'outbound' }),
          telemetry: this.telemetry,
        })
      : null;
    if (this.publisher) this.followers.add(this.publisher);
    this.consumer = new JourneyEventConsumer({
      kafka: this.kafka,
      store,
      personal,
      topic: k.topics.events,
      deadLetterTopic: k.topics.deadLetters,
      groupId: k.groupId,
      timeZone: journeyline.timeZone,
      limits: journeyline.wireLimits,
      fromBeginning: k.fromBeginning,
      sessionTimeoutMs: k.sessionTimeoutMs,
      heartbeatIntervalMs: k.heartbeatIntervalMs,
      maxBytesPerPartition: k.maxBytesPerPartition,
      partitionsConsumedConcurrently: k.partitionsConsumedConcurrently,
      log: log.child({ component: 'consumer' }),
      telemetry: this.telemetry,
      onRecorded: (outcome) => {
        if (outcome.recorded.length > 0) this.followers.wake();
      },
      beforeCommit: config.crashBeforeCommitAfterBatches === null ? undefined : this.crashHook(config.crashBeforeCommitAfterBatches),
      onFatal: (error) => {
        log.error(errorFields(error), 'the Kafka consumer stopped for good; exiting so the worker is restarted');
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      },
    });
    this.telemetry.beforeScrape(() => this.refreshGauges());
  }

  /** Starts every part; the HTTP server first, so /health answers `starting` meanwhile. */
  async start(): Promise<void> {
    this.phase = 'starting';
    const { kafka: k, http } = this.config;
    this.http = await startWorkerHttpServer(http.host, http.port, { health: () => this.health(), telemetry: this.telemetry });
    this.log.info({ host: http.host, port: this.http.port }, 'worker http listening');
    await this.admin.connect();
    if (k.createTopics) {
      const created = await ensureTopics(
        this.admin,
        Object.values(k.topics).map((topic) => ({ topic, numPartitions: k.topicPartitions })),
      );
      if (created.length > 0) this.log.info({ topics: created, partitions: k.topicPartitions }, 'created missing topics');
    }
    await this.followers.start();
    await this.publisher?.start();
    await this.consumer.start();
    this.phase = 'running';
    this.log.info(
      {
        port: this.http.port,
        brokers: k.brokers,
        groupId: k.groupId,
        topics: k.topics,
        store: this.config.journeyline.store,
        dataDir: this.config.journeyline.dataDir,
        outbound: this.publisher !== null,
        projectionPosition: await this.followers.projector.position(),
      },
      'worker started',
    );
  }

  /** Nest calls this on close; also safe after a failed start. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async stop(): Promise<void> {
    if (this.phase === 'stopping' || this.phase === 'stopped') return;
    const started = this.phase !== 'created';
    this.phase = 'stopping';
    if (started) {
      this.log.info({}, 'worker stopping: finishing the batch in hand and committing');
      await this.step('consumer', () => this.consumer.stop());
      await this.step('followers', () => this.followers.stop());
      if (this.publisher) await this.step('outbound', () => this.publisher!.stop());
      await this.step('admin', () => this.admin.disconnect());
      if (this.http) await this.step('http', () => this.http!.close());
    }
    this.phase = 'stopped';
    this.log.info({ consumer: this.consumer.status() }, 'worker stopped');
  }

  /** The /health document: the followers' verdict (as the server's) and the Kafka parts. */
  async health(): Promise<{ ok: boolean; body: Record<string, unknown> }> {
    const { kafka: k } = this.config;
    const [store, lag, dlqInTopic, outboundPosition] = await Promise.all([
      this.store.health(),
      this.groupLag().then(
        (value) => ({ value }),
        (error) => ({ error: String(error) }),
      ),
      this.deadLettersInTopic().catch(() => null),
      this.publisher ? this.publisher.position().catch(() => null) : Promise.resolve(null),
    ]);
    const report = await this.followers.health(store);
    const consumer = this.consumer.status();
    const head = store.position;
    const projectionPosition = report.projections.length ? Math.min(...report.projections.map((p) => p.position)) : 0;
    // 503 only when the worker cannot do its job; parked events or a lag are `degraded` with 200
    const ok = this.phase === 'running' && store.ok && consumer.state === 'running';
    const body = {
      status: ok ? report.status : this.phase === 'running' ? 'degraded' : this.phase,
      store: store.store,
      position: head,
      ...(store.detail ? { storeDetail: store.detail } : {}),
      storeWritable: report.storeWritable,
      reasons: report.reasons,
      parked: report.parked,
      failing: report.failing,
      kafka: {
        brokers: k.brokers,
        groupId: k.groupId,
        topic: k.topics.events,
        consumer,
        lag: 'value' in lag ? lag.value.total : null,
        lagByPartition: 'value' in lag ? lag.value.partitions : null,
        ...('error' in lag ? { lagError: lag.error } : {}),
        deadLetters: { topic: k.topics.deadLetters, sentByThisWorker: consumer.deadLetters, inTopic: dlqInTopic },
      },
      projections: {
        position: projectionPosition,
        lag: Math.max(0, head - projectionPosition),
        byProjection: report.projections.map((p) => ({ projection: p.name, position: p.position, lag: p.lag })),
        churnRisk: report.churnRisk,
      },
      outbound: this.publisher
        ? {
            enabled: true,
            topics: { stageChanges: k.topics.stageChanges, churnFlags: k.topics.churnFlags, alerts: k.topics.alerts },
            ...this.publisher.status(outboundPosition ?? 0),
            lag: outboundPosition === null ? null : Math.max(0, head - outboundPosition),
          }
        : { enabled: false },
    };
    return { ok, body };
  }

  private async refreshGauges(): Promise<void> {
    const { kafka: k } = this.config;
    const head = await this.store.headPosition();
    for (const p of await this.followers.projector.progress()) this.telemetry.projectionLag.set({ projection: p.projection }, Math.max(0, head - p.position));
    this.telemetry.projectionLag.set({ projection: 'churn-risk-process' }, Math.max(0, head - (await this.followers.churnRisk.position())));
    if (this.publisher) this.telemetry.outboundLag.set(Math.max(0, head - (await this.publisher.position())));
    const lag = await this.groupLag();
    this.telemetry.consumerLag.set({ topic: k.topics.events, group: k.groupId }, lag.total);
  }

  /** The group's lag from the broker, cached for a second: health checks and scrapes come often. */
  private groupLag(): Promise<ConsumerGroupLag> {
    const now = Date.now();
    if (!this.lagCache || now - this.lagCache.at > 1000) {
      const value = consumerGroupLag(this.admin, this.config.kafka.groupId, this.config.kafka.topics.events);
      value.catch(() => (this.lagCache = null));
      this.lagCache = { at: now, value };
    }
    return answerWithin(this.lagCache.value, 'the consumer group lag');
  }

  /** Messages in the dead-letter topic (all workers', all time, within retention). */
  private deadLettersInTopic(): Promise<number> {
    const now = Date.now();
    if (!this.dlqCache || now - this.dlqCache.at > 1000) {
      const value = this.admin
        .fetchTopicOffsets(this.config.kafka.topics.deadLetters)
        .then((offsets) => offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0));
      value.catch(() => (this.dlqCache = null));
      this.dlqCache = { at: now, value };
    }
    return answerWithin(this.dlqCache.value, 'the dead-letter count');
  }

  /** See WorkerConfig.crashBeforeCommitAfterBatches: a deterministic crash for the redelivery tests. */
  private crashHook(afterBatches: number) {
    let batches = 0;
    return (outcome: BatchIngestion) => {
      if (outcome.recorded.some((r) => !r.event.duplicate) && ++batches >= afterBatches) {
        this.log.warn({ batches, appended: outcome.recorded.length }, 'test hook: SIGKILL between an append and its offset commit');
        process.kill(process.pid, 'SIGKILL');
      }
    };
  }

  private async step(component: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.log.error({ component, ...errorFields(error) }, `stopping ${component} failed`);
    }
  }
}

/** `work`, or a rejection saying the broker did not answer when it takes longer than BROKER_ANSWER_MS (the work goes on, and is cached). */
function answerWithin<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the Kafka broker did not answer within ${BROKER_ANSWER_MS} ms`)), BROKER_ANSWER_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
