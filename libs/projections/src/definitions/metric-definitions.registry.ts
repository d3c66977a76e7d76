import { AUDIT_STREAM, auditEvent, type Actor } from '@journeyline/access';
import type { EventStore } from '@journeyline/event-store';
import {
  decideMetricDefinitions,
  evolveMetricDefinitions,
  initialMetricDefinitionsState,
  METRIC_DEFINITIONS_CHANGED,
  METRIC_DEFINITIONS_STREAM,
  readMetricDefinitionsChanged,
  type ConfiguredMetricSettings,
  type MetricDefinitionsChanged,
  type MetricDefinitionsCommand,
} from '@journeyline/journey';
import { VersionedStream, type Recorded } from './versioned-stream';

/** One version of the metric parameters, as the history lists it and an answer states it. */
export type MetricDefinitionsVersion = Recorded<MetricDefinitionsChanged>;

export interface DefinitionsChange<V> {
  entry: V;
  /** False when the same definitions were already the latest: nothing was recorded. */
  changed: boolean;
  /** Where the new version sits in the log; null when nothing was recorded. */
  position: number | null;
}

/**
 * The metric parameters in force and their history (`definitions-metrics`), for every metric
 * answer: the configuration's version is recorded before the first answer (version 1 on a new
 * store; a new version when JOURNEYLINE_MIN_SAMPLE or JOURNEYLINE_TZ changed), and an admin's
 * change is appended with its audit entry (`definitions.changed`).
 */
export class MetricDefinitionsRegistry {
  private readonly stream: VersionedStream<MetricDefinitionsChanged>;
  private configuredOnce: Promise<void> | null = null;

  constructor(
    store: EventStore,
    private readonly configured: ConfiguredMetricSettings,
    options: { refreshMs?: number } = {},
  ) {
    this.stream = new VersionedStream(store, {
      streamId: METRIC_DEFINITIONS_STREAM,
      eventType: METRIC_DEFINITIONS_CHANGED,
      read: readMetricDefinitionsChanged,
      refreshMs: options.refreshMs,
    });
  }

  /** The version in force. */
  async current(): Promise<MetricDefinitionsVersion> {
    await this.ready();
    await this.stream.refresh();
    return this.stream.known[this.stream.known.length - 1];
  }

  /** Version `n`, or null when there is none (yet). */
  async version(n: number): Promise<MetricDefinitionsVersion | null> {
    await this.ready();
    if (!this.stream.known.some((v) => v.version === n)) await this.stream.refresh(true);
    return this.stream.known.find((v) => v.version === n) ?? null;
  }

  /** Every version, oldest first. */
  async history(): Promise<MetricDefinitionsVersion[]> {
    await this.ready();
    await this.stream.refresh(true);
    return [...this.stream.known];
  }

  /** An admin's change (the fields given, merged over the version in force): throws DefinitionsRuleViolation for a bad one. */
  async change(parameters: unknown, actor: Actor): Promise<DefinitionsChange<MetricDefinitionsVersion>> {
    await this.ready();
    const { recorded, position } = await this.stream.record(
      (versions) => this.decide({ type: 'ChangeMetricDefinitions', parameters, changedBy: actor.name, configured: this.configured }, versions),
      (decided) => [{ streamId: AUDIT_STREAM, events: [auditEvent('definitions.changed', actor, 'metrics', { version: decided.version })] }],
    );
    return { entry: recorded ?? this.stream.known[this.stream.known.length - 1], changed: recorded !== null, position };
  }

  /** Records the configuration's version once per process (again after a failure, a store down say). */
  private ready(): Promise<void> {
    this.configuredOnce ??= this.stream
      .record((versions) => this.decide({ type: 'RecordConfiguredMetricDefinitions', configured: this.configured, changedBy: 'configuration' }, versions))
      .then(() => undefined)
      .catch((error: unknown) => {
        this.configuredOnce = null;
        throw error;
      });
    return this.configuredOnce;
  }

  private decide(command: MetricDefinitionsCommand, versions: readonly MetricDefinitionsChanged[]): MetricDefinitionsChanged[] {
    return decideMetricDefinitions(command, versions.reduce(evolveMetricDefinitions, initialMetricDefinitionsState()));
  }
}
