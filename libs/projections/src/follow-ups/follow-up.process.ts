import {
  DuplicateEventIdError,
  isTransientError,
  readStreams,
  WrongExpectedRevisionError,
  yieldToEventLoop,
  type AppendRequest,
  type EventStore,
  type StoredEvent,
} from '@journeyline/event-store';
import {
  asJourneyEvent,
  customerIdOf,
  customerStreamId,
  decideFollowUpOpenings,
  followUpIdOf,
  followUpReasonOf,
  type FeedbackGiven,
  type KnownFollowUp,
} from '@journeyline/journey';
import { appendTogether, CUSTOMER_CHUNK, customerStreams, readStep } from '../runtime/customer-steps';
import { CoalescedRun, type RunFailure } from '../runtime/coalesced-run';
import type { ReadModelDatabase } from '../runtime/sql-executor';

/**
 * The follow-up process manager: a bad answer (a detractor, a very hard effort, a 1-2 star review)
 * opens a follow-up, and a good answer replacing a bad one through a survey link closes it. Like
 * the churn-risk process it writes to the event store, so it is no projection: its output
 * survives a rebuild of the read models, and it keeps its own checkpoint.
 *
 * Each follow-up is a stream of its own named by its id (see libs/journey follow-up-events.ts),
 * derived from the answer; the process reads the customer's answers and the follow-ups they
 * opened, decides (a pure function), and appends with the streams' expected revisions. Deciding
 * again, from position 0 or in two processes at once, adds nothing: ids are derived, the store
 * ignores an id it holds with the same body, and a concurrent append makes it re-read and decide
 * again. Only answers wake it, and only answers that are bad or replace another.
 */
export interface FollowUpProcessOptions {
  /** How often to catch up even unwoken (another process appended). Default 60 s. */
  intervalMs?: number;
  /** Events per read of the log. Default 500. */
  batchSize?: number;
  /** Most events one step reads before deciding for the customers they touched (far behind the log). Default 1,000,000. */
  stepEvents?: number;
  /** Most customers one step decides for: a step far behind ends once its answers have touched this many. Default 100,000. */
  stepCustomers?: number;
  /** Customers decided on one read of their streams, what they open appended in one call. Default 250. */
  chunkSize?: number;
  onError?: (error: unknown) => void;
  /** A customer whose answers could not be decided on (not for a transient reason): logged and passed over. */
  onSkipped?: (skipped: { customerId: string; error: unknown }) => void;
  /** Re-reads after a concurrent append before giving up on a customer. Default 8. */
  maxAttempts?: number;
  /**
   * Answers given longer ago than this (by the clock, when the process first sees them) open no
   * follow-up: a first start on an old log or an import of history does not flood the owners with
   * call-backs about complaints of months ago. Default 30 days; Infinity opens them all.
   */
  maxAgeMs?: number;
  clock?: () => Date;
}

export const DEFAULT_FOLLOW_UP_MAX_AGE_MS = 30 * 86_400_000;

/** A customer's decision: the events to append to their follow-ups' streams. */
interface Decision {
  customerId: string;
  requests: AppendRequest[];
}

export interface FollowUpRunResult {
  eventsRead: number;
  customersEvaluated: number;
  eventsAppended: number;
}

const CHECKPOINT = 'follow_up_process_checkpoint';
const NAME = 'follow-ups';
export const FOLLOW_UP_PROCESS_COMPONENT = 'follow-up-process';

export class FollowUpProcess {
  readonly name = FOLLOW_UP_PROCESS_COMPONENT;
  private readonly batchSize: number;
  private ready: Promise<void> | null = null;
  private readonly following: CoalescedRun;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    private readonly options: FollowUpProcessOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.following = new CoalescedRun(() => this.catchUp(), options.onError);
  }

  init(): Promise<void> {
    this.ready ??= this.db
      .transaction(async (tx) => {
        await tx.exec(`CREATE TABLE IF NOT EXISTS ${CHECKPOINT} (name TEXT PRIMARY KEY, position BIGINT NOT NULL)`);
        await tx.run(`INSERT INTO ${CHECKPOINT} (name, position) VALUES (?, 0) ON CONFLICT (name) DO NOTHING`, [NAME]);
      })
      .catch((error) => {
        this.ready = null;
        throw error;
      });
    return this.ready;
  }

  /** Catches up now, then again every `intervalMs` and on `wake()`. */
  async start(onProgress?: (progress: { position: number; head: number }) => void): Promise<void> {
    await this.catchUp(onProgress);
    this.following.every(this.options.intervalMs ?? 60_000);
  }

  wake(): void {
    this.following.wake();
  }

  async stop(): Promise<void> {
    await this.following.stop();
  }

  get lastFailure(): RunFailure | null {
    return this.following.lastFailure;
  }

  /**
   * Follows the log from the checkpoint to its head, deciding for each customer with a new answer
   * that matters. Far behind (a first start, a long stop), a step reads the log until its answers
   * have touched `stepCustomers` customers (or `stepEvents` events were read), so a customer with
   * bad answers all through the log is decided on once, not once per read; the checkpoint moves
   * when the step's customers are all decided, and a stop ends a step between chunks (the next
   * start decides that step again: it opens nothing twice).
   */
  async catchUp(onProgress?: (progress: { position: number; head: number }) => void): Promise<FollowUpRunResult> {
    await this.init();
    const total: FollowUpRunResult = { eventsRead: 0, customersEvaluated: 0, eventsAppended: 0 };
    for (;;) {
      const { customers, read, last } = await readStep((after, limit) => this.store.readAll({ after, limit }), addCustomersToDecide, await this.position(), {
        batchSize: this.batchSize,
        stepEvents: this.options.stepEvents,
        stepCustomers: this.options.stepCustomers,
      });
      if (read === 0) return total;
      const decided = await this.decideAll(customers);
      total.customersEvaluated += decided.customers;
      total.eventsAppended += decided.appended;
      if (!decided.complete) return total;
      await this.db.transaction((tx) => tx.run(`UPDATE ${CHECKPOINT} SET position = ? WHERE name = ?`, [last, NAME]));
      this.following.succeeded();
      total.eventsRead += read;
      if (onProgress) onProgress({ position: last, head: await this.store.headPosition() });
      await yieldToEventLoop();
      if (this.following.isStopped) return total;
    }
  }

  /**
   * Decides for these customers a chunk at a time: their streams and their answers' follow-ups in
   * two reads, and what the chunk opens and closes in one append. A customer whose follow-up
   * another writer moved in between, or whose append fails, is decided again alone (`evaluate`).
   */
  private async decideAll(customers: readonly string[]): Promise<{ customers: number; appended: number; complete: boolean }> {
    let [decided, appended] = [0, 0];
    const chunkSize = Math.max(1, this.options.chunkSize ?? CUSTOMER_CHUNK);
    for (let start = 0; start < customers.length; start += chunkSize) {
      if (start > 0) await yieldToEventLoop();
      if (this.following.isStopped) return { customers: decided, appended, complete: false };
      const chunk = customers.slice(start, start + chunkSize);
      const { alone, appended: inChunk } = await this.decideChunk(chunk);
      appended += inChunk;
      for (const customerId of alone) {
        try {
          appended += await this.evaluate(customerId);
        } catch (error) {
          if (isTransientError(error)) throw error;
          this.options.onSkipped?.({ customerId, error });
        }
      }
      decided += chunk.length;
    }
    return { customers: decided, appended, complete: true };
  }

  /** Decides a chunk on one read of its streams and one of their follow-ups, appends in one call; returns the customers left to decide alone. */
  private async decideChunk(customers: readonly string[]): Promise<{ alone: string[]; appended: number }> {
    const streams = await customerStreams(this.store, customers);
    if (!streams) return { alone: [...customers], appended: 0 };
    const answers = streams.map(answersOf);
    const followUpIds = answers.flatMap((list) =>
      list.filter((answer) => followUpReasonOf(answer.data) !== null).map((answer) => followUpIdOf(answer.eventId)),
    );
    const followUps = new Map<string, StoredEvent[]>();
    (
      await readStreams(
        this.store,
        followUpIds.map((streamId) => ({ streamId })),
      )
    ).forEach((stream, i) => followUps.set(followUpIds[i], stream));
    const deciding: Decision[] = [];
    const alone: string[] = [];
    customers.forEach((customerId, i) => {
      try {
        const decision = this.decide(customerId, answers[i], followUps);
        if (decision.requests.length > 0) deciding.push(decision);
      } catch {
        alone.push(customerId); // alone, it is skipped with its error
      }
    });
    const { appended, out } = await appendTogether(this.store, deciding, (decision) => decision.requests);
    return {
      alone: [...alone, ...out.map((decision) => decision.customerId)],
      appended: appended.reduce((sum, { events }) => sum + events.filter((e) => !e.duplicate).length, 0),
    };
  }

  /** Reads the customer's answers and their follow-ups, decides, appends; re-reads when another writer got there first. Returns how many events were new. */
  async evaluate(customerId: string): Promise<number> {
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const answers = answersOf(await this.store.readStream(customerStreamId(customerId)));
      const followUps = new Map<string, StoredEvent[]>();
      for (const answer of answers) {
        if (followUpReasonOf(answer.data) === null) continue;
        const followUpId = followUpIdOf(answer.eventId);
        followUps.set(followUpId, await this.store.readStream(followUpId));
      }
      const { requests } = this.decide(customerId, answers, followUps);
      if (requests.length === 0) return 0;
      try {
        const result = await this.store.append(requests);
        return result.events.filter((e) => !e.duplicate).length;
      } catch (error) {
        const raced = error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError;
        if (!raced || attempt >= maxAttempts) throw error;
      }
    }
  }

  /** What the customer's answers open and close, given the streams of the follow-ups they opened (absent or empty: none yet), as append requests at those streams' revisions. */
  private decide(customerId: string, answers: readonly FeedbackGiven[], followUps: ReadonlyMap<string, readonly StoredEvent[]>): Decision {
    const known = new Map<string, KnownFollowUp>();
    const revisions = new Map<string, number>();
    for (const answer of answers) {
      if (followUpReasonOf(answer.data) === null) continue;
      const followUpId = followUpIdOf(answer.eventId);
      const stream = followUps.get(followUpId) ?? [];
      if (stream.length === 0) continue;
      revisions.set(followUpId, stream[stream.length - 1].revision);
      known.set(followUpId, { resolved: stream.some((e) => e.type === 'FollowUpResolved') });
    }
    const maxAge = this.options.maxAgeMs ?? DEFAULT_FOLLOW_UP_MAX_AGE_MS;
    const openSince = Number.isFinite(maxAge) ? new Date((this.options.clock?.() ?? new Date()).getTime() - maxAge).toISOString() : undefined;
    const requests = new Map<string, AppendRequest>();
    for (const event of decideFollowUpOpenings(customerId, [...answers], known, { openSince })) {
      const streamId = event.data.followUpId;
      const revision = revisions.get(streamId);
      const request = requests.get(streamId) ?? { streamId, expectedRevision: revision === undefined ? 'no_stream' : revision, events: [] };
      request.events.push({ eventId: event.eventId, type: event.type, occurredAt: event.occurredAt, data: { ...event.data } });
      requests.set(streamId, request);
    }
    return { customerId, requests: [...requests.values()] };
  }

  /** The global position up to which answers have been decided on. */
  async position(): Promise<number> {
    await this.init();
    const row = await this.db.reader.get<{ position: number }>(`SELECT position FROM ${CHECKPOINT} WHERE name = ?`, [NAME]);
    return Number(row?.position ?? 0);
  }

  /** Decides again from the start of the log on the next run (it opens nothing twice). */
  async resetCheckpoint(): Promise<void> {
    await this.init();
    await this.db.transaction((tx) => tx.run(`UPDATE ${CHECKPOINT} SET position = 0 WHERE name = ?`, [NAME]));
  }
}

/** Adds the customers with a new answer that is bad or replaces another, in order of first appearance. */
function addCustomersToDecide(events: readonly StoredEvent[], customers: Set<string>): void {
  for (const event of events) {
    if (event.type !== 'FeedbackGiven') continue;
    const customerId = customerIdOf(event.streamId);
    if (customerId === null || customers.has(customerId)) continue;
    const checked = asJourneyEvent(event);
    if (!checked.ok || checked.event.type !== 'FeedbackGiven') continue;
    if (checked.event.data.replaces !== undefined || followUpReasonOf(checked.event.data) !== null) customers.add(customerId);
  }
}

/** The stream's answers, in stream order; malformed events (parked by the projections) are left out. */
function answersOf(stored: readonly StoredEvent[]): FeedbackGiven[] {
  const answers: FeedbackGiven[] = [];
  for (const event of stored) {
    if (event.type !== 'FeedbackGiven') continue;
    const checked = asJourneyEvent(event);
    if (checked.ok && checked.event.type === 'FeedbackGiven') answers.push(checked.event);
  }
  return answers;
}
