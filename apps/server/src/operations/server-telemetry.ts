import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Followers } from '@journeyline/platform';

/** How long one exposition answers scrapes. */
const RENDER_EVERY_MS = 1000;

/**
 * The server's Prometheus series (GET /metrics), on a registry of its own (never prom-client's
 * global one: a test runs several servers in one process). The names the worker also serves
 * (`journeyline_events_appended_total`, `journeyline_projection_lag_events`) mean the same here,
 * so one dashboard reads both; every series carries `app="journeyline"`.
 *
 * Counters are counted where things happen; the projection lag is read from the followers just
 * before a scrape.
 */
export class ServerTelemetry {
  readonly registry = new Registry();
  /** Every answered request by route pattern (never the raw URL: ids in paths would explode the series), method and status; its `_count` is the request rate. */
  readonly requests: Histogram<'method' | 'route' | 'status'>;
  /** Customer events this server appended (duplicates of a stored eventId are not appends). */
  readonly eventsAppended: Counter<'source'>;
  /** Events in the log a projection (or a process writing read models) has not applied yet. */
  readonly projectionLag: Gauge<'projection'>;
  /** Passes of the churn-risk rules, by outcome (`ok`, `failed`). */
  readonly churnRuleRuns: Counter<'outcome'>;
  readonly churnRuleSeconds: Histogram;
  /** Customers the churn-risk rules evaluated. */
  readonly churnRuleCustomers: Counter;
  /** Flags raised or cleared by the churn-risk rules (events appended). */
  readonly churnRuleEvents: Counter;

  constructor(private readonly followers: Followers) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ app: 'journeyline' });
    collectDefaultMetrics({ register: this.registry, prefix: 'journeyline_' });
    this.requests = new Histogram({
      name: 'journeyline_http_request_duration_seconds',
      help: 'HTTP requests answered, by method, route pattern and status, with their time from arrival to the last byte',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.eventsAppended = new Counter({
      name: 'journeyline_events_appended_total',
      help: 'Customer events newly appended to the event store',
      labelNames: ['source'],
      registers,
    });
    this.projectionLag = new Gauge({
      name: 'journeyline_projection_lag_events',
      help: 'Events in the log a projection has not applied yet',
      labelNames: ['projection'],
      registers,
    });
    this.churnRuleRuns = new Counter({
      name: 'journeyline_churn_rule_runs_total',
      help: 'Passes of the churn-risk rules (following the log, then the customers due), by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.churnRuleSeconds = new Histogram({
      name: 'journeyline_churn_rule_run_duration_seconds',
      help: 'Time one pass of the churn-risk rules took',
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    });
    this.churnRuleCustomers = new Counter({
      name: 'journeyline_churn_rule_customers_evaluated_total',
      help: 'Customers the churn-risk rules evaluated',
      registers,
    });
    this.churnRuleEvents = new Counter({
      name: 'journeyline_churn_rule_events_appended_total',
      help: 'Churn-risk flags raised or cleared (events the rules appended)',
      registers,
    });
    for (const outcome of ['ok', 'failed']) this.churnRuleRuns.inc({ outcome }, 0);
    this.eventsAppended.inc({ source: 'http' }, 0);
    followers.onChurnRiskRun((run) => {
      this.churnRuleRuns.inc({ outcome: run.ok ? 'ok' : 'failed' });
      this.churnRuleSeconds.observe(run.seconds);
      if (!run.ok) return;
      this.churnRuleCustomers.inc(run.customersEvaluated);
      this.churnRuleEvents.inc(run.eventsAppended);
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The last exposition and when it was made. */
  private rendered: { at: number; text: Promise<string> } | null = null;

  /**
   * The Prometheus text exposition, made at most once a second: a scrape every few seconds sees
   * fresh values, and a flood of scrapes (any read key may ask) shares one render instead of
   * costing one each (a render reads every projection's position and formats every series:
   * milliseconds with many routes and statuses).
   */
  render(): Promise<string> {
    const now = Date.now();
    if (this.rendered && now - this.rendered.at < RENDER_EVERY_MS) return this.rendered.text;
    const text = this.renderNow();
    this.rendered = { at: now, text };
    text.catch(() => this.rendered?.text === text && (this.rendered = null));
    return text;
  }

  /** The projection lag read first (when the read models cannot be read, it keeps its last value). */
  private async renderNow(): Promise<string> {
    try {
      for (const p of (await this.followers.readiness()).projections) this.projectionLag.set({ projection: p.name }, p.behind);
    } catch {
      // the store or the read models are down: /health says so; the scrape still answers
    }
    return this.registry.metrics();
  }
}
