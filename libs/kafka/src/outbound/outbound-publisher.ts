import type { EventStore, StoredEvent } from '@journeyline/event-store';
import { asJourneyEvent } from '@journeyline/journey';
import {
  CoalescedRun,
  createParkedTable,
  errorText,
  parkedEvents,
  parkEvent,
  PARKED_EVENTS,
  type ReadModelDatabase,
  type RunFailure,
} from '@journeyline/projections';
import { randomUUID } from 'node:crypto';
import { Partitioners, type Kafka, type Producer, type TopicMessages } from 'kafkajs';
import { errorFields, silentLog, type KafkaLog } from '../kafka-log';
import type { JourneyTopics } from '../kafka-settings';
import type { Telemetry } from '../telemetry/telemetry';
import { alertMessageOf, isAlertOutbound } from './alert-messages';
import { isOutboundType, outboundMessageOf, type OutboundMessage } from './outbound-messages';

export interface OutboundPublisherOptions {
  kafka: Kafka;
  store: EventStore;
  /** Holds the published position and the publishing lease (table `outbound_published_position`). */
  db: ReadModelDatabase;
  /** Alerts are published only when `alerts` names a topic. */
  topics: Pick<JourneyTopics, 'stageChanges' | 'churnFlags'> & Partial<Pick<JourneyTopics, 'alerts'>>;
  /** Row name of the position: one per independent publisher. Default `kafka-outbound`. */
  name?: string;
  /** Events read from the log per step (not all of them are published). Default 1,000. */
  batchSize?: number;
  /** Fallback poll when no wake-up arrives (another process may append). Default 500 ms. */
  pollIntervalMs?: number;
  /**
   * How long the publishing lease lasts without renewal. Only the lease holder publishes; another
   * worker takes over once it lapses (a crashed holder never releases it). Default 10 s.
   */
  leaseMs?: number;
  log?: KafkaLog;
  telemetry?: Telemetry;
  onError?: (error: unknown) => void;
  clock?: () => number;
  /**
   * Test seam: runs after the broker acknowledged a step and before its position is committed;
   * throwing here is a crash in the one window where a step can be published twice.
   */
  beforeCheckpoint?: (events: readonly StoredEvent[]) => void;
}

export interface OutboundStatus {
  position: number;
  /** This process holds the publishing lease (one worker publishes at a time). */
  leader: boolean;
  published: number;
  lastError: string | null;
  /** Events set aside because no message could be made of them (malformed): retried at the next start. */
  parked: number;
}

export interface OutboundStep {
  /** Events read from the log (0: at the head, or not the lease holder). */
  events: number;
  /** Messages published. */
  messages: number;
  leader: boolean;
}

const TABLE = 'outbound_published_position';

/**
 * Publishes stage changes and churn flags from the event log to Kafka, in log order, keyed by
 * customer id. It follows the log from its OWN position (a row in the read-model database), not
 * from any projection's checkpoint, so rebuilding projections publishes nothing again.
 *
 * One step: renew the publishing lease (a short transaction), read the next events, renew the
 * lease again if less than three quarters of it is left, send them with an idempotent producer
 * and wait for the broker's acknowledgement (acks=all), then commit the new position (a second
 * short transaction, only if the lease and the position are still ours). No transaction stays
 * open while Kafka is slow, so a broker outage never stalls the projections that share the
 * database.
 *
 * Guarantee: at-least-once, in log order per customer. A restart, a projection rebuild or a
 * second worker publishes nothing twice. A step's messages are published twice only if the
 * process dies (or its lease lapses) between the broker's acknowledgement and the position
 * commit: at most one step (`batchSize` events) again. Every message carries its eventId (header
 * `x-journeyline-event-id`) and log position, so a consumer can drop such repeats.
 */
export class OutboundPublisher {
  private readonly producer: Producer;
  readonly name: string;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly clock: () => number;
  private readonly owner = randomUUID();
  private readonly log: KafkaLog;
  private connected: Promise<void> | null = null;
  private ready: Promise<void> | null = null;
  private readonly following: CoalescedRun;
  private leader = false;
  /** When the lease this process last took or renewed lapses (its clock), if it holds it. */
  private leaseUntil = 0;
  private published = 0;
  private lastError: string | null = null;
  private parked = 0;

  constructor(private readonly options: OutboundPublisherOptions) {
    // Idempotent, acks=all, retried until the broker takes it: a retry after a lost ack is not a duplicate.
    this.producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 5000 },
    });
    this.name = options.name ?? 'kafka-outbound';
    this.batchSize = options.batchSize ?? 1000;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silentLog;
    this.following = new CoalescedRun(
      async () => {
        await this.catchUp();
        this.lastError = null;
      },
      (error) => {
        this.lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.log.error(errorFields(error), 'outbound publishing failed; will retry on the next wake-up');
        this.options.onError?.(error);
      },
    );
  }

  /** Creates the position table and row (at 0: a new publisher publishes the whole log). */
  init(): Promise<void> {
    this.ready ??= this.options.db.transaction(async (tx) => {
      await tx.exec(`CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, position BIGINT NOT NULL, owner TEXT, lease_until BIGINT NOT NULL)`);
      await createParkedTable(tx);
      await tx.run(`INSERT INTO ${TABLE} (name, position, owner, lease_until) VALUES (?, 0, NULL, 0) ON CONFLICT (name) DO NOTHING`, [this.name]);
    });
    return this.ready;
  }

  /**
   * Publishes what is pending (if it holds the lease), then keeps following: on `wake()` and on a
   * poll timer. Events parked by an earlier run are tried again first (a restart after a fix).
   */
  async start(): Promise<void> {
    await this.init();
    await this.connect();
    await this.retryParked();
    await this.catchUp();
    this.following.every(this.options.pollIntervalMs ?? 500);
  }

  /** Asks for a pass soon; calls while one runs coalesce into one more. */
  wake(): void {
    this.following.wake();
  }

  /** Publishes step by step until the position reaches the head of the log. Returns messages published. */
  async catchUp(): Promise<number> {
    let total = 0;
    for (;;) {
      const step = await this.publishNextStep();
      if (step.events === 0) return total;
      total += step.messages;
      if (this.following.isStopped) return total;
    }
  }

  async publishNextStep(): Promise<OutboundStep> {
    await this.init();
    await this.connect();
    const after = await this.acquireLease();
    if (after === null) return { events: 0, messages: 0, leader: false };
    const events = await this.options.store.readAll({ after, limit: this.batchSize });
    if (events.length === 0) return { events: 0, messages: 0, leader: true };

    const byTopic = new Map<string, TopicMessages>();
    const unpublishable: { event: StoredEvent; error: unknown }[] = [];
    for (const event of events) {
      const made = this.messageOf(event);
      if (made === null) continue;
      if ('error' in made) {
        unpublishable.push({ event, error: made.error });
        continue;
      }
      const message = made.message;
      const entry = byTopic.get(message.topic) ?? { topic: message.topic, messages: [] };
      entry.messages.push({ key: message.key, value: message.value, headers: message.headers });
      byTopic.set(message.topic, entry);
    }
    const topicMessages = [...byTopic.values()];
    if (topicMessages.length > 0) {
      if (!(await this.holdLeaseToSend(after))) return { events: 0, messages: 0, leader: false };
      await this.producer.sendBatch({ acks: -1, topicMessages });
    }
    const messages = topicMessages.reduce((sum, t) => sum + t.messages.length, 0);
    this.published += messages;
    for (const t of topicMessages) this.options.telemetry?.outboundPublished.inc({ topic: t.topic }, t.messages.length);

    this.options.beforeCheckpoint?.(events);
    const to = events[events.length - 1].position;
    const committed = await this.options.db.transaction(async (tx) => {
      const now = this.clock();
      await tx.run(`UPDATE ${TABLE} SET position = ?, lease_until = ? WHERE name = ? AND owner = ? AND position = ?`, [
        to,
        now + this.leaseMs,
        this.name,
        this.owner,
        after,
      ]);
      const row = await tx.get<{ position: number; owner: string | null }>(`SELECT position, owner FROM ${TABLE} WHERE name = ?`, [this.name]);
      const ours = row?.owner === this.owner && Number(row.position) === to;
      if (ours) {
        this.leaseUntil = now + this.leaseMs;
        for (const { event, error } of unpublishable) await parkEvent(tx, this.name, event, error);
      }
      return ours;
    });
    if (committed && unpublishable.length > 0) {
      this.parked += unpublishable.length;
      for (const { event, error } of unpublishable) {
        this.log.error(
          { eventId: event.eventId, position: event.position, error: errorText(error) },
          'an outbound event could not be published and was parked; fix it, then restart the worker to retry',
        );
      }
    }
    if (!committed) {
      this.leader = false;
      this.log.warn({ from: after, to, messages }, 'lost the publishing lease during a step; another worker may publish these messages again');
      return { events: 0, messages, leader: false };
    }
    return { events: events.length, messages, leader: true };
  }

  /** The message for an outbound event; null for events that are not published; the error for one no message can be made of. */
  private messageOf(event: StoredEvent): { message: OutboundMessage } | { error: unknown } | null {
    if (isAlertOutbound(event)) {
      try {
        const message = alertMessageOf(event, this.options.topics);
        return message ? { message } : null;
      } catch (error) {
        return { error };
      }
    }
    if (!isOutboundType(event.type)) return null;
    const checked = asJourneyEvent(event);
    if (!checked.ok) return { error: `malformed ${event.type}: ${checked.reason}` };
    try {
      const message = outboundMessageOf(checked.event, this.options.topics);
      return message ? { message } : null;
    } catch (error) {
      return { error };
    }
  }

  /**
   * Publishes the events an earlier run parked, when they can be published now (after a fix);
   * those that still cannot stay parked. Only the lease holder does it.
   */
  async retryParked(): Promise<{ published: number; stillParked: number }> {
    await this.init();
    const parked = await parkedEvents(this.options.db.reader, this.name);
    if (parked.length === 0 || (await this.acquireLease()) === null) return { published: 0, stillParked: parked.length };
    await this.connect();
    const stored = await this.options.store.findByEventIds(parked.map((p) => p.eventId));
    const ready: { position: number; message: OutboundMessage }[] = [];
    for (const row of parked) {
      const event = stored.get(row.eventId);
      const made = event ? this.messageOf(event) : null;
      if (made && 'message' in made) ready.push({ position: row.position, message: made.message });
    }
    for (const { message } of ready) {
      await this.producer.send({ acks: -1, topic: message.topic, messages: [{ key: message.key, value: message.value, headers: message.headers }] });
    }
    await this.options.db.transaction(async (tx) => {
      for (const { position } of ready) await tx.run(`DELETE FROM ${PARKED_EVENTS} WHERE component = ? AND position = ?`, [this.name, position]);
    });
    this.parked = parked.length - ready.length;
    return { published: ready.length, stillParked: this.parked };
  }

  /** While its passes keep failing: since when and why (`/health`). */
  get lastFailure(): RunFailure | null {
    return this.following.lastFailure;
  }

  /** The log position up to which every outbound event has been published and acknowledged. */
  async position(): Promise<number> {
    await this.init();
    const row = await this.options.db.reader.get<{ position: number }>(`SELECT position FROM ${TABLE} WHERE name = ?`, [this.name]);
    return Number(row?.position ?? 0);
  }

  status(position: number): OutboundStatus {
    return { position, leader: this.leader, published: this.published, lastError: this.lastError, parked: this.parked };
  }

  /** Finishes the step in hand, hands the lease back (another worker takes over at once) and disconnects. */
  async stop(): Promise<void> {
    await this.following.stop();
    if (this.ready) {
      await this.options.db.transaction((tx) =>
        tx.run(`UPDATE ${TABLE} SET owner = NULL, lease_until = 0 WHERE name = ? AND owner = ?`, [this.name, this.owner]),
      );
    }
    this.leader = false;
    if (this.connected) await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error) => {
      this.connected = null;
      throw error;
    });
    return this.connected;
  }

  /**
   * Before a step's messages go out: the lease must still be this process's, at the position the
   * step read from, with at least three quarters of it left for the send and the commit. Reading
   * the step (and waiting for the database's write lock, which another process's projector may
   * hold for seconds) can use up much of it; without the renewal another worker could take over
   * while this one sends, and both would publish the step.
   */
  private async holdLeaseToSend(after: number): Promise<boolean> {
    if (this.leaseUntil - this.clock() >= (this.leaseMs * 3) / 4) return true;
    const position = await this.acquireLease();
    if (position === after) return true;
    if (position !== null) {
      this.log.warn({ from: after, position }, 'the published position moved during a step (another worker published); skipping this step');
    }
    return false;
  }

  /**
   * Takes or renews the lease; the position to publish after, or null when another worker holds
   * it. The lease runs from when the transaction holds the write lock, not from when it asked.
   */
  private async acquireLease(): Promise<number | null> {
    let now = 0;
    const row = await this.options.db.transaction(async (tx) => {
      now = this.clock();
      await tx.run(`UPDATE ${TABLE} SET owner = ?, lease_until = ? WHERE name = ? AND (owner = ? OR owner IS NULL OR lease_until < ?)`, [
        this.owner,
        now + this.leaseMs,
        this.name,
        this.owner,
        now,
      ]);
      return tx.get<{ position: number; owner: string | null }>(`SELECT position, owner FROM ${TABLE} WHERE name = ?`, [this.name]);
    });
    const leader = row?.owner === this.owner;
    this.leaseUntil = leader ? now + this.leaseMs : 0;
    if (leader !== this.leader) this.log.info({ name: this.name }, leader ? 'took the publishing lease' : 'another worker holds the publishing lease');
    this.leader = leader;
    return leader ? Number(row!.position) : null;
  }
}
