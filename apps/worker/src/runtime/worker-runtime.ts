import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import type { ChurnRule } from '@journeyline/journey';
import {
  consumerGroupLag, createKafkaClient, ensureTopics, errorFields, JourneyEventConsumer, JourneylineMetrics, OutboundPublisher,
  type BatchIngestion, type ConsumerGroupLag,
} from '@journeyline/kafka';
import {
  assessFollowers, ChurnRiskProcess, journeylineProjections, parkedSummary, Projector, READ_MODEL_DATABASE, type ReadModelDatabase,
} from '@journeyline/projections';
import type { Admin, Kafka } from 'kafkajs';
import { CHURN_RULES } from '../../../server/src/projections/churn-rules.provider';
import { WORKER_CONFIG, type WorkerConfig } from '../config/worker-config';
import { startWorkerHttpServer, type WorkerHttpServer } from '../http/worker-http-server';
import type { JsonLogger } from '../logging/json-logger';

export const WORKER_LOGGER = Symbol('WORKER_LOGGER');

type Phase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped';

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
  readonly projector: Projector;
  readonly churnRisk: ChurnRiskProcess;
  readonly publisher: OutboundPublisher | null;
  private readonly admin: Admin;
  private http: WorkerHttpServer | null = null;
  private phase: Phase = 'created';
  private unsubscribe: (() => void) | null = null;
  private lagCache: { at: number; value: Promise<ConsumerGroupLag> } | null = null;
  private dlqCache: { at: number; value: Promise<number> } | null = null;

  constructor(
    @Inject(WORKER_CONFIG) private readonly config: WorkerConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
    @Inject(CHURN_RULES) rules: readonly ChurnRule[],
    @Inject(JourneylineMetrics) readonly metrics: JourneylineMetrics,
    @Inject(WORKER_LOGGER) private readonly log: JsonLogger,
  ) {
    const { kafka: k, journeyline } = config;
    this.kafka = createKafkaClient({ brokers: k.brokers, clientId: k.clientId }, log);
    this.admin = this.kafka.admin();
    const onError = (component: string) => (error: unknown) => log.error(`${component} failed; it will retry on the next wake-up`, { component, ...errorFields(error) });
    this.projector = new Projector(store, readModels, journeylineProjections(store, journeyline.timeZone), {
      onError: onError('projector'),
      onParked: (parked) => log.error('event parked: the projection moved on without it; fix the cause, then run journeyline retry-parked', { component: 'projector', ...parked }),
    });
    this.churnRisk = new ChurnRiskProcess(store, readModels, rules, {
      intervalMs: journeyline.churnCheckIntervalMs,
      onError: onError('churn-risk'),
      onParked: (parked) => log.error('customer parked: churn-risk rules could not evaluate them; fix the cause, then run journeyline retry-parked', { component: 'churn-risk', ...parked }),
    });
    this.publisher = config.outbound
      ? new OutboundPublisher({ kafka: this.kafka, store, db: readModels, topics: k.topics, leaseMs: config.outboundLeaseMs, log: log.child({ component: 'outbound' }), metrics: this.metrics })
      : null;
    this.consumer = new JourneyEventConsumer({
      kafka: this.kafka,
      store,
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
      metrics: this.metrics,
      onRecorded: (outcome) => {
        if (outcome.recorded.length > 0) this.wakeFollowers();
      },
      beforeCommit: config.crashBeforeCommitAfterBatches === null ? undefined : this.crashHook(config.crashBeforeCommitAfterBatches),
      onFatal: (error) => {
        log.error('the Kafka consumer stopped for good; exiting so the worker is restarted', errorFields(error));
        process.exitCode = 1;
        process.kill(process.pid, 'SIGTERM');
      },
    });
    this.metrics.beforeScrape(() => this.refreshGauges());
  }

  /** Starts every part; the HTTP server first, so /health answers `starting` meanwhile. */
  async start(): Promise<void> {
    this.phase = 'starting';
    const { kafka: k, http } = this.config;
    this.http = await startWorkerHttpServer(http.host, http.port, { health: () => this.health(), metrics: this.metrics });
    this.log.info('worker http listening', { host: http.host, port: this.http.port });
    await this.admin.connect();
    if (k.createTopics) {
      const created = await ensureTopics(this.admin, Object.values(k.topics).map((topic) => ({ topic, numPartitions: k.topicPartitions })));
      if (created.length > 0) this.log.info('created missing topics', { topics: created, partitions: k.topicPartitions });
    }
    await this.projector.start();
    await this.churnRisk.start();
    await this.publisher?.start();
    // A shared store (PostgreSQL LISTEN/NOTIFY, KurrentDB $all) announces other processes'
    // appends: followers wake at once instead of at their next poll.
    const subscribable = this.store as EventStore & { subscribe?: (listener: () => void) => () => void };
    if (typeof subscribable.subscribe === 'function') this.unsubscribe = subscribable.subscribe(() => this.wakeFollowers());
    await this.consumer.start();
    this.phase = 'running';
    this.log.info('worker started', {
      port: this.http.port, brokers: k.brokers, groupId: k.groupId, topics: k.topics,
      store: this.config.journeyline.store, dataDir: this.config.journeyline.dataDir, outbound: this.publisher !== null,
      projectionPosition: await this.projector.position(),
    });
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
      this.log.info('worker stopping: finishing the batch in hand and committing');
      await this.step('consumer', () => this.consumer.stop());
      this.unsubscribe?.();
      await this.step('churn-risk', () => this.churnRisk.stop());
      await this.step('projector', () => this.projector.stop());
      if (this.publisher) await this.step('outbound', () => this.publisher!.stop());
      await this.step('admin', () => this.admin.disconnect());
      if (this.http) await this.step('http', () => this.http!.close());
    }
    this.phase = 'stopped';
    this.log.info('worker stopped', { consumer: this.consumer.status() });
  }

  /** The /health document. */
  async health(): Promise<{ ok: boolean; body: Record<string, unknown> }> {
    const { kafka: k } = this.config;
    const [store, lag, dlqInTopic, progress, churnPosition, outboundPosition, parked] = await Promise.all([
      this.store.health(),
      this.groupLag().then((value) => ({ value }), (error) => ({ error: String(error) })),
      this.deadLettersInTopic().catch(() => null),
      this.projector.progress().catch(() => []),
      this.churnRisk.position().catch(() => null),
      this.publisher ? this.publisher.position().catch(() => null) : Promise.resolve(null),
      parkedSummary(this.readModels.reader).catch(() => []),
    ]);
    const consumer = this.consumer.status();
    const head = store.position;
    const projectionPosition = progress.length ? Math.min(...progress.map((p) => p.position)) : 0;
    const followers = assessFollowers({
      store,
      followers: [
        ...progress.map((p) => ({ name: p.projection, position: p.position })),
        ...(churnPosition === null ? [] : [{ name: 'churn-risk-process', position: churnPosition }]),
        ...(outboundPosition === null ? [] : [{ name: 'kafka-outbound', position: outboundPosition }]),
      ],
      runners: [
        { name: 'projector', lastFailure: this.projector.lastFailure },
        { name: 'churn-risk-process', lastFailure: this.churnRisk.lastFailure },
      ],
      parked,
      maxLag: this.config.journeyline.healthMaxLag,
    });
    // 503 only when the worker cannot do its job; parked events or a lag are `degraded` with 200
    const ok = this.phase === 'running' && store.ok && consumer.state === 'running';
    const body = {
      status: ok ? followers.status : this.phase === 'running' ? 'degraded' : this.phase,
      store: store.store,
      position: head,
      ...(store.detail ? { storeDetail: store.detail } : {}),
      storeWritable: store.ok && followers.storeWritable,
      reasons: followers.reasons,
      parked: followers.parked,
      failing: followers.failing,
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
        byProjection: progress.map((p) => ({ projection: p.projection, position: p.position, lag: Math.max(0, p.head - p.position) })),
        churnRisk: churnPosition === null ? null : { position: churnPosition, lag: Math.max(0, head - churnPosition) },
      },
      outbound: this.publisher
        ? { enabled: true, topics: { stageChanges: k.topics.stageChanges, churnFlags: k.topics.churnFlags }, ...this.publisher.status(outboundPosition ?? 0), lag: outboundPosition === null ? null : Math.max(0, head - outboundPosition) }
        : { enabled: false },
    };
    return { ok, body };
  }

  private wakeFollowers(): void {
    this.projector.wake();
    this.churnRisk.wake();
    this.publisher?.wake();
  }

  private async refreshGauges(): Promise<void> {
    const { kafka: k } = this.config;
    const head = await this.store.headPosition();
    for (const p of await this.projector.progress()) this.metrics.projectionLag.set({ projection: p.projection }, Math.max(0, head - p.position));
    this.metrics.projectionLag.set({ projection: 'churn-risk-process' }, Math.max(0, head - (await this.churnRisk.position())));
    if (this.publisher) this.metrics.outboundLag.set(Math.max(0, head - (await this.publisher.position())));
    const lag = await this.groupLag();
    this.metrics.consumerLag.set({ topic: k.topics.events, group: k.groupId }, lag.total);
  }

  /** The group's lag from the broker, cached for a second: health checks and scrapes come often. */
  private groupLag(): Promise<ConsumerGroupLag> {
    const now = Date.now();
    if (!this.lagCache || now - this.lagCache.at > 1000) {
      const value = consumerGroupLag(this.admin, this.config.kafka.groupId, this.config.kafka.topics.events);
      value.catch(() => (this.lagCache = null));
      this.lagCache = { at: now, value };
    }
    return this.lagCache.value;
  }

  /** Messages in the dead-letter topic (all workers', all time, within retention). */
  private deadLettersInTopic(): Promise<number> {
    const now = Date.now();
    if (!this.dlqCache || now - this.dlqCache.at > 1000) {
      const value = this.admin.fetchTopicOffsets(this.config.kafka.topics.deadLetters)
        .then((offsets) => offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0));
      value.catch(() => (this.dlqCache = null));
      this.dlqCache = { at: now, value };
    }
    return this.dlqCache.value;
  }

  /** See WorkerConfig.crashBeforeCommitAfterBatches: a deterministic crash for the redelivery tests. */
  private crashHook(afterBatches: number) {
    let batches = 0;
    return (outcome: BatchIngestion) => {
      if (outcome.recorded.some((r) => !r.event.duplicate) && ++batches >= afterBatches) {
        this.log.warn('test hook: SIGKILL between an append and its offset commit', { batches, appended: outcome.recorded.length });
        process.kill(process.pid, 'SIGKILL');
      }
    };
  }

  private async step(component: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.log.error(`stopping ${component} failed`, { component, ...errorFields(error) });
    }
  }
}
