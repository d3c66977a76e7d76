import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Journeyline's telemetry (Prometheus series; "metric" means a CX metric everywhere else) on a registry of their own (never prom-client's global one,
 * so a test or a benchmark can run several workers in one process). The worker serves them on
 * `/metrics`; the HTTP server can do the same with `createTelemetryRegistry()` and `render()`.
 *
 * Counters are counted where things happen; gauges that describe other systems (consumer lag,
 * projection lag) are refreshed just before a scrape by the hooks given to `beforeScrape`.
 */
export interface TelemetryRegistryOptions {
  /** Node.js process metrics (CPU, memory, event-loop lag), prefixed `journeyline_`. Default true. */
  defaultMetrics?: boolean;
  /** Labels added to every series, e.g. `{ app: 'worker' }`. */
  labels?: Record<string, string>;
}

export function createTelemetryRegistry(options: TelemetryRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.labels) registry.setDefaultLabels(options.labels);
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'journeyline_' });
  return registry;
}

export class Telemetry {
  /** Messages read from the events topic (valid or not). */
  readonly messagesConsumed: Counter<'topic'>;
  /** Messages sent to the dead-letter topic, by reason (`invalid-event`, `journey-rule`, ...). */
  readonly deadLetters: Counter<'topic' | 'reason'>;
  /** Customer events newly stored (a redelivered eventId is a duplicate, not an append). */
  readonly eventsAppended: Counter<'source'>;
  /** Events whose eventId was already stored: redeliveries and retries, written nothing. */
  readonly eventsDuplicate: Counter<'source'>;
  /** Time to record one partition batch, parse to commit. */
  readonly batchSeconds: Histogram<'topic'>;
  /** Batch attempts that failed on a transient error and were retried. */
  readonly ingestRetries: Counter<'error'>;
  /** Messages on the events topic not yet committed by the consumer group. */
  readonly consumerLag: Gauge<'topic' | 'group'>;
  /** Events in the log a projection has not applied yet. */
  readonly projectionLag: Gauge<'projection'>;
  /** Messages published to the outbound topics. */
  readonly outboundPublished: Counter<'topic'>;
  /** Events in the log the outbound publisher has not looked at yet. */
  readonly outboundLag: Gauge;
  private readonly hooks: (() => Promise<void>)[] = [];

  constructor(readonly registry: Registry = createTelemetryRegistry()) {
    const registers = [registry];
    this.messagesConsumed = new Counter({
      name: 'journeyline_kafka_messages_consumed_total',
      help: 'Messages read from the events topic, valid or not',
      labelNames: ['topic'],
      registers,
    });
    this.deadLetters = new Counter({
      name: 'journeyline_kafka_dead_letters_total',
      help: 'Messages sent to the dead-letter topic, by reason',
      labelNames: ['topic', 'reason'],
      registers,
    });
    this.eventsAppended = new Counter({
      name: 'journeyline_events_appended_total',
      help: 'Customer events newly appended to the event store',
      labelNames: ['source'],
      registers,
    });
    this.eventsDuplicate = new Counter({
      name: 'journeyline_events_duplicate_total',
      help: 'Events whose eventId was already stored (redeliveries); nothing was written',
      labelNames: ['source'],
      registers,
    });
    this.batchSeconds = new Histogram({
      name: 'journeyline_kafka_batch_duration_seconds',
      help: 'Time to record one partition batch, from parsing to the offset commit',
      labelNames: ['topic'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.ingestRetries = new Counter({
      name: 'journeyline_kafka_ingest_retries_total',
      help: 'Batch attempts that failed on a transient error and were retried',
      labelNames: ['error'],
      registers,
    });
    this.consumerLag = new Gauge({
      name: 'journeyline_kafka_consumer_lag',
      help: 'Messages on the events topic not yet committed by the consumer group',
      labelNames: ['topic', 'group'],
      registers,
    });
    this.projectionLag = new Gauge({
      name: 'journeyline_projection_lag_events',
      help: 'Events in the log a projection has not applied yet',
      labelNames: ['projection'],
      registers,
    });
    this.outboundPublished = new Counter({
      name: 'journeyline_outbound_published_total',
      help: 'Messages published to the outbound topics',
      labelNames: ['topic'],
      registers,
    });
    this.outboundLag = new Gauge({
      name: 'journeyline_outbound_lag_events',
      help: 'Events in the log the outbound publisher has not looked at yet',
      registers,
    });
  }

  /** Runs before every scrape, to refresh gauges that mirror other systems. Errors are swallowed (the gauge keeps its last value). */
  beforeScrape(hook: () => Promise<void>): void {
    this.hooks.push(hook);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text exposition of every metric, gauges refreshed first. */
  async render(): Promise<string> {
    await Promise.all(this.hooks.map((hook) => hook().catch(() => undefined)));
    return this.registry.metrics();
  }
}
