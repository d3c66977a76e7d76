import type { EventStore } from '@journeyline/event-store';
import { ALERTS_STREAM, readAlertEvent, alertWireType } from '@journeyline/journey';
import { CoalescedRun, type ReadModelDatabase, type RunFailure, type SqlExecutor } from '@journeyline/projections';
import type { WebhookConfig } from '../alerts/alerts-config';
import { WEBHOOK_HEADERS, webhookSignature } from './webhook-signature';

export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One try of a delivery, as the delivery log shows it. */
export interface DeliveryAttempt {
  attempt: number;
  at: string;
  outcome: 'delivered' | 'failed' | 'dead';
  statusCode: number | null;
  error: string | null;
  /** When the next try is due (null: none, delivered or dead-lettered). */
  nextRetryAt: string | null;
}

export interface Delivery {
  deliveryId: string;
  eventId: string;
  eventType: string;
  alertId: string | null;
  url: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  history: DeliveryAttempt[];
}

export interface WebhookDeliveryOptions extends WebhookConfig {
  clock?: () => number;
  onError?: (error: unknown) => void;
}

const CHECKPOINT = 'webhook_checkpoint';
const DELIVERIES = 'webhook_deliveries';
const ATTEMPTS = 'webhook_attempts';

/**
 * Delivers every alert event (AlertOpened, AlertClosed) to each configured webhook, signed (see
 * webhook-signature.ts), at least once. It follows the `journeyline-alerts` stream from its own
 * checkpoint: each event becomes one delivery row per URL in the same transaction that moves the
 * checkpoint, so a restart neither loses nor repeats one. A delivery that fails (no answer
 * within the timeout, or anything but a 2xx) is tried again after `backoffMs`, doubling up to
 * `backoffMaxMs`, and is dead-lettered after `maxAttempts` tries; every try is recorded
 * (`webhook_attempts`) for the delivery log. A try is claimed before it is made (its due time
 * moved past the timeout), so two processes sharing the database do not both send it.
 *
 * A first start begins at the end of the stream: a newly configured receiver gets the alerts
 * raised from then on, not the whole history.
 */
export class WebhookDelivery {
  readonly name = 'webhooks';
  private readonly run: CoalescedRun;
  private readonly clock: () => number;
  private ready: Promise<void> | null = null;
  /** Aborts the tries under way on stop: a shutdown does not wait for a slow receiver (an aborted try is tried again). */
  private readonly stopping = new AbortController();

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    private readonly options: WebhookDeliveryOptions,
  ) {
    this.clock = options.clock ?? Date.now;
    this.run = new CoalescedRun(() => this.pass(), options.onError);
  }

  get lastFailure(): RunFailure | null {
    return this.run.lastFailure;
  }

  get enabled(): boolean {
    return this.options.urls.length > 0 && this.options.secret !== null;
  }

  start(): void {
    if (!this.enabled) return;
    this.run.every(Math.min(1000, this.options.backoffMs));
    this.run.wake();
  }

  wake(): void {
    if (this.enabled) this.run.wake();
  }

  stop(): Promise<void> {
    this.stopping.abort();
    return this.run.stop();
  }

  init(): Promise<void> {
    this.ready ??= this.db
      .transaction(async (tx) => {
        await tx.exec(`
          CREATE TABLE IF NOT EXISTS ${CHECKPOINT} (name TEXT PRIMARY KEY, revision BIGINT NOT NULL);
          CREATE TABLE IF NOT EXISTS ${DELIVERIES} (
            delivery_id TEXT PRIMARY KEY, event_id TEXT NOT NULL, event_type TEXT NOT NULL, alert_id TEXT, url TEXT NOT NULL, body TEXT NOT NULL,
            status TEXT NOT NULL, attempts INTEGER NOT NULL, next_attempt_at BIGINT, last_status_code INTEGER, last_error TEXT,
            created_at BIGINT NOT NULL, seq BIGINT NOT NULL
          );
          CREATE INDEX IF NOT EXISTS ${DELIVERIES}_due ON ${DELIVERIES} (status, next_attempt_at);
          CREATE TABLE IF NOT EXISTS ${ATTEMPTS} (
            delivery_id TEXT NOT NULL, attempt INTEGER NOT NULL, at BIGINT NOT NULL, outcome TEXT NOT NULL, status_code INTEGER, error TEXT,
            next_retry_at BIGINT, PRIMARY KEY (delivery_id, attempt)
          );
        `);
        const row = await tx.get<{ revision: number }>(`SELECT revision FROM ${CHECKPOINT} WHERE name = ?`, ['alerts']);
        if (!row) await tx.run(`INSERT INTO ${CHECKPOINT} (name, revision) VALUES (?, ?)`, ['alerts', await this.store.streamRevision(ALERTS_STREAM)]);
      })
      .catch((error) => {
        this.ready = null;
        throw error;
      });
    return this.ready;
  }

  /** One pass: new alert events become deliveries, then every due delivery is tried. */
  async pass(): Promise<void> {
    await this.init();
    await this.enqueueNewEvents();
    const due = await this.claimDue();
    await Promise.all(due.map((delivery) => this.attempt(delivery)));
    if (due.length > 0) this.run.wake();
  }

  /** The delivery log, newest first, each with its tries. */
  async deliveries(options: { status?: DeliveryStatus; limit: number }): Promise<Delivery[]> {
    await this.init();
    const rows = await this.db.reader.all<DeliveryRow>(
      `SELECT * FROM ${DELIVERIES} ${options.status ? 'WHERE status = ?' : ''} ORDER BY seq DESC, url LIMIT ?`,
      [...(options.status ? [options.status] : []), options.limit],
    );
    if (rows.length === 0) return [];
    const attempts = await this.db.reader.all<AttemptRow>(
      `SELECT * FROM ${ATTEMPTS} WHERE delivery_id IN (${rows.map(() => '?').join(', ')}) ORDER BY delivery_id, attempt`,
      rows.map((r) => r.delivery_id),
    );
    const iso = (ms: unknown) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
    return rows.map((r) => ({
      deliveryId: r.delivery_id,
      eventId: r.event_id,
      eventType: r.event_type,
      alertId: r.alert_id,
      url: r.url,
      status: r.status,
      attempts: Number(r.attempts),
      nextAttemptAt: r.status === 'pending' ? iso(r.next_attempt_at) : null,
      lastStatusCode: r.last_status_code === null ? null : Number(r.last_status_code),
      lastError: r.last_error,
      createdAt: iso(r.created_at)!,
      history: attempts
        .filter((a) => a.delivery_id === r.delivery_id)
        .map((a) => ({
          attempt: Number(a.attempt),
          at: iso(a.at)!,
          outcome: a.outcome,
          statusCode: a.status_code === null ? null : Number(a.status_code),
          error: a.error,
          nextRetryAt: iso(a.next_retry_at),
        })),
    }));
  }

  private async enqueueNewEvents(): Promise<void> {
    for (;;) {
      const checkpoint = await this.db.reader.get<{ revision: number }>(`SELECT revision FROM ${CHECKPOINT} WHERE name = ?`, ['alerts']);
      const from = Number(checkpoint?.revision ?? -1) + 1;
      const events = await this.store.readStream(ALERTS_STREAM, { fromRevision: from, limit: 200 });
      if (events.length === 0) return;
      const now = this.clock();
      await this.db.transaction(async (tx) => {
        for (const event of events) {
          const alert = readAlertEvent(event);
          const body = JSON.stringify({
            eventId: event.eventId,
            type: alertWireType(event.type),
            occurredAt: event.occurredAt,
            recordedAt: event.recordedAt,
            data: event.data,
          });
          for (const url of this.options.urls) {
            await tx.run(
              `INSERT INTO ${DELIVERIES} (delivery_id, event_id, event_type, alert_id, url, body, status, attempts, next_attempt_at, last_status_code, last_error, created_at, seq)
               VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, NULL, NULL, ?, ?) ON CONFLICT (delivery_id) DO NOTHING`,
              [`${event.eventId}|${url}`, event.eventId, event.type, alert?.data.alertId ?? null, url, body, now, now, event.revision],
            );
          }
        }
        await tx.run(`UPDATE ${CHECKPOINT} SET revision = ? WHERE name = ?`, [events[events.length - 1].revision, 'alerts']);
      });
      if (events.length < 200) return;
    }
  }

  /** Due deliveries to URLs still configured, each claimed for one try (its due time moved past the try's timeout). */
  private async claimDue(): Promise<DeliveryRow[]> {
    const now = this.clock();
    const urls = this.options.urls;
    return this.db.transaction((tx: SqlExecutor) =>
      tx.all<DeliveryRow>(
        `UPDATE ${DELIVERIES} SET next_attempt_at = ?
          WHERE status = 'pending' AND next_attempt_at <= ? AND delivery_id IN (
            SELECT delivery_id FROM ${DELIVERIES} WHERE status = 'pending' AND next_attempt_at <= ? AND url IN (${urls.map(() => '?').join(', ')})
             ORDER BY next_attempt_at LIMIT 20)
          RETURNING *`,
        [now + this.options.timeoutMs + 5_000, now, now, ...urls],
      ),
    );
  }

  private async attempt(delivery: DeliveryRow): Promise<void> {
    const attempt = Number(delivery.attempts) + 1;
    const timestamp = Math.floor(this.clock() / 1000);
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.stopping.signal]),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'journeyline-webhooks',
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: webhookSignature(this.options.secret!, timestamp, delivery.body),
          [WEBHOOK_HEADERS.eventId]: delivery.event_id,
          [WEBHOOK_HEADERS.eventType]: alertWireType(delivery.event_type),
          [WEBHOOK_HEADERS.attempt]: String(attempt),
        },
        body: delivery.body,
      });
      statusCode = response.status;
      await response.body?.cancel().catch(() => undefined);
      if (statusCode < 200 || statusCode >= 300) error = `the receiver answered ${statusCode}`;
    } catch (failure) {
      error = failure instanceof Error ? `${failure.name}: ${failure.message}` : String(failure);
    }
    // stopped mid-try: the claim lapses and the next start tries again, counting nothing
    if (error !== null && this.stopping.signal.aborted) return;
    const now = this.clock();
    const delivered = error === null;
    const dead = !delivered && attempt >= this.options.maxAttempts;
    const nextRetryAt = delivered || dead ? null : now + Math.min(this.options.backoffMaxMs, this.options.backoffMs * 2 ** (attempt - 1));
    const status: DeliveryStatus = delivered ? 'delivered' : dead ? 'dead' : 'pending';
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO ${ATTEMPTS} (delivery_id, attempt, at, outcome, status_code, error, next_retry_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (delivery_id, attempt) DO NOTHING`,
        [delivery.delivery_id, attempt, now, delivered ? 'delivered' : dead ? 'dead' : 'failed', statusCode, error, nextRetryAt],
      );
      await tx.run(`UPDATE ${DELIVERIES} SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ? WHERE delivery_id = ?`, [
        status,
        attempt,
        nextRetryAt,
        statusCode,
        error,
        delivery.delivery_id,
      ]);
    });
  }
}

interface DeliveryRow {
  delivery_id: string;
  event_id: string;
  event_type: string;
  alert_id: string | null;
  url: string;
  body: string;
  status: DeliveryStatus;
  attempts: number;
  next_attempt_at: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  seq: number;
}

interface AttemptRow {
  delivery_id: string;
  attempt: number;
  at: number;
  outcome: DeliveryAttempt['outcome'];
  status_code: number | null;
  error: string | null;
  next_retry_at: number | null;
}
