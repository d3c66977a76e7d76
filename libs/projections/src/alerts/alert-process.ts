import { DuplicateEventIdError, WrongExpectedRevisionError, type EventStore, type StoredEvent } from '@journeyline/event-store';
import {
  ALERTS_STREAM,
  decideAlerts,
  foldTargets,
  readAlertEvent,
  readTargetEvent,
  TARGETS_STREAM,
  type AlertEvent,
  type TargetEvent,
  type TargetReading,
} from '@journeyline/journey';
import { resolveWindow } from '../cx-metrics/metric-window';
import { CoalescedRun, type RunFailure } from '../runtime/coalesced-run';
import type { ReadModelDatabase } from '../runtime/sql-executor';
import { scopeReading } from './scope-reading.queries';

export interface AlertProcessOptions {
  /** The rolling window judged, in days (JOURNEYLINE_ALERT_WINDOW). */
  windowDays: number;
  /** Zone of "today" and of the metrics' day buckets. */
  timeZone: string;
  /** At most one evaluation per this many ms, however many appends wake it (JOURNEYLINE_ALERT_INTERVAL_MS). */
  intervalMs: number;
  /** How far the metrics read model has applied the log. */
  metricsPosition: () => Promise<number>;
  clock?: () => Date;
  onError?: (error: unknown) => void;
}

/**
 * The alerts process: it compares every target with the metric of its scope over the rolling
 * window and appends what the decider (libs/journey/src/alerts) makes of it to the
 * `journeyline-alerts` stream. It is not a projection: it writes to the log, and its output must
 * survive a rebuild; its whole state is that stream (the open alert and the episode count per
 * target), so a restart, a rebuild or a second process decides nothing new.
 *
 * Rate: at most one evaluation per `intervalMs` (appends wake it, a timer too: the window rolls
 * with the clock). It judges the metrics once they have caught up with the log it saw, or, under
 * a steady stream of appends, once every ten intervals whatever the lag.
 */
export class AlertProcess {
  readonly name = 'alerts';
  private readonly run: CoalescedRun;
  private readonly clock: () => Date;
  private history: AlertEvent[] = [];
  private revision = -1;
  private lastEvaluation = 0;
  private delayed: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    private readonly options: AlertProcessOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.run = new CoalescedRun(() => this.pass(), options.onError);
  }

  get lastFailure(): RunFailure | null {
    return this.run.lastFailure;
  }

  start(): void {
    this.run.every(this.options.intervalMs);
    this.run.wake();
  }

  wake(): void {
    this.run.wake();
  }

  async stop(): Promise<void> {
    if (this.delayed) clearTimeout(this.delayed);
    await this.run.stop();
  }

  /** The metrics position alerts are judged on (for /health). */
  position(): Promise<number> {
    return this.options.metricsPosition();
  }

  private async pass(): Promise<void> {
    const now = Date.now();
    const wait = this.lastEvaluation + this.options.intervalMs - now;
    if (wait > 0) return this.later(wait);
    const head = await this.store.headPosition();
    const metrics = await this.options.metricsPosition().catch(() => -1);
    if (metrics < head && now - this.lastEvaluation < 10 * this.options.intervalMs) return this.later(Math.min(250, this.options.intervalMs));
    this.lastEvaluation = now;
    await this.evaluate();
  }

  private later(ms: number): void {
    if (this.delayed || this.run.isStopped) return;
    this.delayed = setTimeout(() => {
      this.delayed = null;
      this.run.wake();
    }, ms);
    this.delayed.unref();
  }

  /** One evaluation of every target now: the events appended (none when nothing changed). */
  async evaluate(): Promise<AlertEvent[]> {
    for (let attempt = 1; ; attempt++) {
      await this.readNewAlerts();
      const at = this.clock();
      const window = resolveWindow({ window: `${this.options.windowDays}d`, timeZone: this.options.timeZone, bucketTimeZone: this.options.timeZone, now: at });
      const targets = foldTargets(await this.targetEvents());
      const readings: TargetReading[] = [];
      for (const target of targets.values()) readings.push({ target, reading: await scopeReading(this.db.reader, target, window) });
      const decided = decideAlerts(this.history, { readings, window: { from: window.from, to: window.to }, at: at.toISOString() });
      if (decided.length === 0) return [];
      try {
        await this.store.append([
          {
            streamId: ALERTS_STREAM,
            expectedRevision: this.revision < 0 ? 'no_stream' : this.revision,
            events: decided.map((e) => ({ eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, data: { ...e.data } })),
          },
        ]);
        await this.readNewAlerts();
        return decided;
      } catch (error) {
        // another process decided first: read what it appended and decide again
        if (!(error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError) || attempt >= 5) throw error;
      }
    }
  }

  private async readNewAlerts(): Promise<void> {
    for (;;) {
      const events = await this.store.readStream(ALERTS_STREAM, { fromRevision: this.revision + 1, limit: 1000 });
      for (const event of events) {
        const alert = readAlertEvent(event);
        if (alert) this.history.push(alert);
        this.revision = event.revision;
      }
      if (events.length < 1000) return;
    }
  }

  private async targetEvents(): Promise<TargetEvent[]> {
    const events: StoredEvent[] = [];
    for (;;) {
      const page = await this.store.readStream(TARGETS_STREAM, { fromRevision: events.length, limit: 1000 });
      events.push(...page);
      if (page.length < 1000) break;
    }
    return events.map((e) => readTargetEvent(e.type, e.data)).filter((e): e is TargetEvent => e !== null);
  }
}
