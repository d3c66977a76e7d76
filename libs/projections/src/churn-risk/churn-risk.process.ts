import {
  DuplicateEventIdError,
  isTransientError,
  readAllHeaders,
  WrongExpectedRevisionError,
  yieldToEventLoop,
  type AppendRequest,
  type EventHeader,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '@journeyline/event-store';
import {
  asJourneyEvent,
  customerIdOf,
  customerStreamId,
  RECORDED_FACT_TYPES,
  decideChurnRisk,
  stableJson,
  traceChurnRisk,
  type ChurnRule,
  type RecordedJourneyEvent,
} from '@journeyline/journey';
import { fixedChurnRules, type ChurnRulesInForce, type ChurnRulesSource } from '../definitions/churn-rules.registry';
import { appendTogether, CUSTOMER_CHUNK, customerStreams, readStep } from '../runtime/customer-steps';
import { CoalescedRun, type RunFailure } from '../runtime/coalesced-run';
import { createParkedTable, errorText, parkedEvents, parkEvent, PARKED_EVENTS } from '../runtime/parked-events';
import type { ReadModelDatabase, SqlExecutor } from '../runtime/sql-executor';

/**
 * The churn-risk process manager: it turns facts into ChurnRiskFlagged / ChurnRiskCleared events
 * in the customer's own stream. It is not a projection because it writes to the event store, and
 * its output must survive a read-model rebuild; so it keeps its own checkpoint and its own
 * schedule in the read-model database, apart from the projector's.
 *
 * Two things make a customer due for evaluation: a new fact in their stream (followed from the
 * global log), and time passing (a ticket turns 48 hours old with no event at all). For the
 * second, each evaluation records in `churn_risk_watch` the earliest instant a condition could
 * begin; `evaluateDue()` picks those up on a timer and at start.
 *
 * Safe to run twice, in two processes, or from position 0 again: the decider derives every id
 * and time from the facts, the store ignores an event id it already holds with the same body, and
 * a concurrent append (WrongExpectedRevision) or a body race (DuplicateEventId) just makes it
 * re-read the stream and decide again. Its own events are not triggers, so it never feeds itself.
 */
export interface ChurnRiskProcessOptions {
  /** Test seam: the "now" of every evaluation. Default: the system clock. */
  clock?: () => Date;
  /** How often to catch up and evaluate due customers. Default 60 s. */
  intervalMs?: number;
  /** Events per read of the log, and due customers picked, per step. Default 500. */
  batchSize?: number;
  /**
   * Most events whose customers are evaluated in one step (one read of the log when following
   * it, many when far behind). A customer touched many times in them is evaluated once: every
   * evaluation reads the whole stream anyway. Default 1,000,000.
   */
  stepEvents?: number;
  /**
   * Most customers one step evaluates: a step far behind reads the log until its events have
   * touched this many (or `stepEvents` were read), and holds only their ids. Default 100,000. On the
   * benchmark's log (1.2M events, 100,000 customers) a first start or a change of rules judged
   * 180,124 customers in steps of 50,000 events (each customer again in every step that touched
   * them) and 104,152 in steps of 100,000 customers: 16.9 s against 8.8 s, the same flags (the
   * README's Churn-risk rules).
   */
  stepCustomers?: number;
  /** Customers judged on one read of their streams, their flags appended in one call. Default 250 (1: one read and one append per customer, as until 2026-12-08). */
  chunkSize?: number;
  onError?: (error: unknown) => void;
  /** A customer could not be evaluated (not for a transient reason) and was set aside: say so in the log. */
  onParked?: (parked: { customerId: string; error: string }) => void;
  /** Re-reads after a concurrent append before giving up on a customer. Default 8. */
  maxAttempts?: number;
  /** After every pass (`runOnce`), what it did or that it failed, and how long it took: for telemetry. */
  onRun?: (run: ChurnRiskRun) => void;
}

/** One pass of the churn-risk rules as telemetry sees it. */
export type ChurnRiskRun = (({ ok: true } & ChurnRiskRunResult) | { ok: false; error: unknown }) & { seconds: number };

/** The outcome of evaluating one customer: what was appended, and when to look again. */
export interface CustomerEvaluation {
  customerId: string;
  appended: number;
  /** The stream revision the decision was made on. */
  revision: number;
  nextCheckAt: string | null;
}

/** How far a catch-up has read the log (after each step). */
export interface ChurnRiskProgress {
  position: number;
  head: number;
}

export interface ChurnRiskRunResult {
  eventsRead: number;
  customersEvaluated: number;
  eventsAppended: number;
}

const CHECKPOINT = 'churn_risk_process_checkpoint';
const WATCH = 'churn_risk_watch';
const NAME = 'churn-risk';
/** Its rows in `parked_events`: customers whose evaluation failed, keyed by their stream's last event. */
export const CHURN_RISK_PROCESS_COMPONENT = 'churn-risk-process';

/** A customer judged on their stream as read: the flags to append on it (at `revision`), and when to look again. */
interface Judgement {
  customerId: string;
  streamId: string;
  revision: number;
  events: NewEvent[];
  nextCheckAt: string | null;
}

function appendRequestOf(judgement: Judgement): AppendRequest {
  return { streamId: judgement.streamId, expectedRevision: judgement.revision < 0 ? 'no_stream' : judgement.revision, events: judgement.events };
}

function outcomeOf(judgement: Judgement, appended: number): CustomerEvaluation {
  return { customerId: judgement.customerId, appended, revision: judgement.revision, nextCheckAt: judgement.nextCheckAt };
}

/** Facts that can start or end a condition; derived events (stage changes, flags) never do. */
const TRIGGER_TYPES: ReadonlySet<string> = RECORDED_FACT_TYPES;

export class ChurnRiskProcess {
  private readonly clock: () => Date;
  private readonly batchSize: number;
  private readonly source: ChurnRulesSource;
  /** The rules the evaluations use: the source's version in force when last looked at. */
  private inForce: ChurnRulesInForce | null = null;
  private ready: Promise<void> | null = null;
  private readonly following: CoalescedRun;

  constructor(
    private readonly store: EventStore,
    private readonly db: ReadModelDatabase,
    /** The rules: versioned (a ChurnRulesRegistry: flags name the version, a new version re-evaluates everyone), or a fixed list. */
    rules: readonly ChurnRule[] | ChurnRulesSource,
    private readonly options: ChurnRiskProcessOptions = {},
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.following = new CoalescedRun(() => this.runOnce(), options.onError);
    this.batchSize = options.batchSize ?? 500;
    this.source = isRuleList(rules) ? fixedChurnRules(rules) : rules;
  }

  /** The rules in force at the last evaluation (after `init`). */
  get rules(): readonly ChurnRule[] {
    return this.inForce?.rules ?? [];
  }

  /** The rules version in force at the last evaluation; null for a fixed list of rules. */
  get rulesVersion(): number | null {
    return this.inForce && this.inForce.version > 0 ? this.inForce.version : null;
  }

  /**
   * Creates the tables and takes the rules in force. When they differ from those of the last
   * run, the checkpoint goes back to 0 so every customer is judged again by the new rules (flags
   * of a removed rule clear, those of a changed one are raised and cleared as it now says).
   */
  init(): Promise<void> {
    // A failed first start (database down) must not be remembered: the next call tries again.
    this.ready ??= this.db
      .transaction(async (tx) => {
        await tx.exec(`
        CREATE TABLE IF NOT EXISTS ${CHECKPOINT} (name TEXT PRIMARY KEY, position BIGINT NOT NULL, rules TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS ${WATCH} (customer_id TEXT PRIMARY KEY, next_check_at BIGINT NOT NULL, revision BIGINT NOT NULL);
        CREATE INDEX IF NOT EXISTS ${WATCH}_due ON ${WATCH} (next_check_at, customer_id);
      `);
        await createParkedTable(tx);
      })
      .then(() => this.adoptRules())
      .catch((error) => {
        this.ready = null;
        throw error;
      });
    return this.ready;
  }

  /**
   * Looks at the rules in force (a registry reads its stream at most once a second) and, when
   * they changed since the last run of any process sharing these read models, moves the
   * checkpoint back to 0: the next pass evaluates every customer under them.
   */
  private async adoptRules(): Promise<void> {
    const inForce = await this.source.current();
    if (this.inForce === inForce) return;
    const fingerprint = rulesFingerprint(inForce);
    if (this.inForce === null || rulesFingerprint(this.inForce) !== fingerprint) {
      await this.db.transaction(async (tx) => {
        const row = await tx.get<{ rules: string }>(`SELECT rules FROM ${CHECKPOINT} WHERE name = ?`, [NAME]);
        if (row?.rules === fingerprint) return;
        await tx.run(
          `INSERT INTO ${CHECKPOINT} (name, position, rules) VALUES (?, 0, ?) ON CONFLICT (name) DO UPDATE SET position = 0, rules = excluded.rules`,
          [NAME, fingerprint],
        );
      });
    }
    this.inForce = inForce;
  }

  /** Catches up and evaluates due customers now, then again every `intervalMs` and on `wake()`. */
  async start(onProgress?: (progress: ChurnRiskProgress) => void): Promise<void> {
    await this.runOnce(onProgress);
    this.following.every(this.options.intervalMs ?? 60_000);
  }

  /** Asks for a run soon (e.g. after an append); calls while one runs coalesce into one more. */
  wake(): void {
    this.following.wake();
  }

  async stop(): Promise<void> {
    await this.following.stop();
  }

  /** One full pass: follow the log to its head, then evaluate every customer that is due. */
  async runOnce(onProgress?: (progress: ChurnRiskProgress) => void): Promise<ChurnRiskRunResult> {
    const started = performance.now();
    try {
      await this.init();
      await this.adoptRules();
      const followed = await this.catchUp(onProgress);
      const due = await this.evaluateDue();
      const result = {
        eventsRead: followed.eventsRead,
        customersEvaluated: followed.customersEvaluated + due.customersEvaluated,
        eventsAppended: followed.eventsAppended + due.eventsAppended,
      };
      this.options.onRun?.({ ok: true, ...result, seconds: (performance.now() - started) / 1000 });
      return result;
    } catch (error) {
      this.options.onRun?.({ ok: false, error, seconds: (performance.now() - started) / 1000 });
      throw error;
    }
  }

  /** Evaluates the customers touched by facts after the checkpoint, batch by batch, reporting progress after each. */
  async catchUp(onProgress?: (progress: ChurnRiskProgress) => void): Promise<ChurnRiskRunResult> {
    await this.init();
    const total: ChurnRiskRunResult = { eventsRead: 0, customersEvaluated: 0, eventsAppended: 0 };
    for (;;) {
      // whose streams moved is all it needs here: each customer's whole stream is read when judged
      const { customers, read, last } = await readStep(
        (after, limit) => readAllHeaders(this.store, { after, limit }),
        addTouchedCustomers,
        await this.position(),
        { batchSize: this.batchSize, stepEvents: this.options.stepEvents, stepCustomers: this.options.stepCustomers },
      );
      if (read === 0) return total;
      // stopped part of the way (a server shutting down): what was judged is kept, and the checkpoint stays for the next start to judge the step again
      const { outcomes, failures, complete } = await this.evaluateAll(customers, this.clock(), { stoppable: true });
      await this.db.transaction(async (tx) => {
        for (const outcome of outcomes) await this.schedule(tx, outcome);
        await this.unparkAll(tx, outcomes);
        await this.parkAll(tx, failures);
        if (complete) await tx.run(`UPDATE ${CHECKPOINT} SET position = ? WHERE name = ?`, [last, NAME]);
      });
      this.following.succeeded();
      total.eventsRead += complete ? read : 0;
      total.customersEvaluated += outcomes.length;
      total.eventsAppended += outcomes.reduce((sum, o) => sum + o.appended, 0);
      if (!complete) return total;
      if (onProgress) onProgress({ position: last, head: await this.store.headPosition() });
      await yieldToEventLoop();
      if (this.following.isStopped) return total;
    }
  }

  /** Evaluates every customer whose next check is due at `clock()`: time passing alone can raise a flag. */
  async evaluateDue(): Promise<ChurnRiskRunResult> {
    await this.init();
    const now = this.clock();
    const total: ChurnRiskRunResult = { eventsRead: 0, customersEvaluated: 0, eventsAppended: 0 };
    // Keyset paging: a customer evaluated here is rescheduled after `now` (or unwatched), and the
    // cursor moves past it anyway, so the loop ends even if another process rewrites the rows.
    let cursor: [number, string] = [Number.MIN_SAFE_INTEGER, ''];
    for (;;) {
      const due = await this.db.reader.all<{ customer_id: string; next_check_at: number }>(
        `SELECT customer_id, next_check_at FROM ${WATCH}
         WHERE next_check_at <= ? AND (next_check_at > ? OR (next_check_at = ? AND customer_id > ?))
         ORDER BY next_check_at, customer_id LIMIT ?`,
        [now.getTime(), cursor[0], cursor[0], cursor[1], this.batchSize],
      );
      if (due.length === 0) return total;
      const { outcomes, failures, complete } = await this.evaluateAll(
        due.map((row) => row.customer_id),
        now,
        { stoppable: true },
      );
      await this.db.transaction(async (tx) => {
        for (const outcome of outcomes) await this.schedule(tx, outcome);
        await this.unparkAll(tx, outcomes);
        await this.parkAll(tx, failures);
      });
      total.customersEvaluated += outcomes.length;
      total.eventsAppended += outcomes.reduce((sum, o) => sum + o.appended, 0);
      if (!complete) return total;
      const last = due[due.length - 1];
      cursor = [Number(last.next_check_at), last.customer_id];
      if (due.length < this.batchSize) return total;
      await yieldToEventLoop();
      if (this.following.isStopped) return total;
    }
  }

  /**
   * Evaluates each customer; one whose evaluation fails for a reason that is not the
   * environment's (a bug, data no rule can read) is set aside instead of stopping every other
   * customer's flags. A transient failure (store down) is thrown: the step is retried as a whole.
   *
   * A chunk of customers at a time: their streams in one read, and every flag the chunk raises or
   * clears in one append (one transaction, not one per customer). A customer whose stream another
   * writer moved meanwhile, or whose append fails for any other reason, is taken out of it and
   * evaluated alone (`evaluate`: read again, decide again), so neither a race nor one customer's bad
   * data holds up the rest. On PostgreSQL, where each read and append was a round trip, a
   * 20,000-customer log's first evaluation took 6.5-6.8 s against 35.8-38.3 (the README's Churn-risk
   * rules).
   */
  private async evaluateAll(
    customers: readonly string[],
    now: Date,
    { stoppable = false } = {},
  ): Promise<{ outcomes: CustomerEvaluation[]; failures: { customerId: string; error: unknown }[]; complete: boolean }> {
    const outcomes: CustomerEvaluation[] = [];
    const failures: { customerId: string; error: unknown }[] = [];
    const chunkSize = Math.max(1, this.options.chunkSize ?? CUSTOMER_CHUNK);
    for (let start = 0; start < customers.length; start += chunkSize) {
      // a step of a catch-up evaluates thousands of customers: requests get their turn between chunks, and a stop ends it (when `stoppable`)
      if (start > 0) await yieldToEventLoop();
      if (stoppable && this.following.isStopped) return { outcomes, failures, complete: false };
      const alone = await this.evaluateChunk(customers.slice(start, start + chunkSize), now, outcomes, failures);
      for (const customerId of alone) {
        try {
          outcomes.push(await this.evaluate(customerId, now));
        } catch (error) {
          if (isTransientError(error)) throw error;
          failures.push({ customerId, error });
        }
      }
    }
    return { outcomes, failures, complete: true };
  }

  /**
   * Judges a chunk on one read of its streams and appends its flags in one call; adds what it
   * settled to `outcomes` and `failures`, and returns the customers left to evaluate alone.
   */
  private async evaluateChunk(
    customers: readonly string[],
    now: Date,
    outcomes: CustomerEvaluation[],
    failures: { customerId: string; error: unknown }[],
  ): Promise<string[]> {
    if (this.inForce === null) await this.init();
    const streams = await customerStreams(this.store, customers);
    if (!streams) return [...customers];
    const flagging: Judgement[] = [];
    customers.forEach((customerId, i) => {
      try {
        const judgement = this.judge(customerId, streams[i], now);
        if (judgement.events.length === 0) outcomes.push(outcomeOf(judgement, 0));
        else flagging.push(judgement);
      } catch (error) {
        failures.push({ customerId, error });
      }
    });
    const { appended, out } = await appendTogether(this.store, flagging, (judgement) => [appendRequestOf(judgement)]);
    for (const { group, events } of appended) outcomes.push(outcomeOf(group, events.filter((e) => !e.duplicate).length));
    return out.map((judgement) => judgement.customerId);
  }

  /** What the rules in force make of a customer's stream as read: the events to append (none: nothing changes), and when to look again. */
  private judge(customerId: string, stored: readonly StoredEvent[], now: Date): Judgement {
    const revision = stored.length > 0 ? stored[stored.length - 1].revision : -1;
    const history = journeyEventsOf(stored);
    const inForce = this.inForce!;
    const trace = traceChurnRisk(history, inForce.rules, now);
    const decided = decideChurnRisk(customerId, history, trace, inForce.version > 0 ? inForce : undefined);
    const events: NewEvent[] = decided.map((e) => ({ eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, data: { ...e.data } }));
    return { customerId, streamId: customerStreamId(customerId), revision, events, nextCheckAt: trace.nextCheckAt };
  }

  /** Parks each failed customer under their stream's last event and stops watching them until retried. */
  private async parkAll(tx: SqlExecutor, failures: readonly { customerId: string; error: unknown }[]): Promise<void> {
    for (const { customerId, error } of failures) {
      const stream = await this.store.readStream(customerStreamId(customerId));
      const last = stream[stream.length - 1];
      if (!last) continue;
      await parkEvent(tx, CHURN_RISK_PROCESS_COMPONENT, last, error);
      await tx.run(`DELETE FROM ${WATCH} WHERE customer_id = ?`, [customerId]);
      this.options.onParked?.({ customerId, error: errorText(error) });
    }
  }

  /** A parked customer evaluated successfully (a new fact woke them) is no longer parked. */
  private async unparkAll(tx: SqlExecutor, outcomes: readonly CustomerEvaluation[]): Promise<void> {
    const row = await tx.get<{ count: number }>(`SELECT COUNT(*) AS count FROM ${PARKED_EVENTS} WHERE component = ?`, [CHURN_RISK_PROCESS_COMPONENT]);
    if (Number(row?.count ?? 0) === 0) return;
    for (const { customerId } of outcomes) {
      await tx.run(`DELETE FROM ${PARKED_EVENTS} WHERE component = ? AND stream_id = ?`, [CHURN_RISK_PROCESS_COMPONENT, customerStreamId(customerId)]);
    }
  }

  /**
   * Evaluates the parked customers again (after a fix): each one that now succeeds leaves the
   * parked list and is watched again; one that still fails stays, with its new error.
   */
  async retryParked(): Promise<{ retried: number; stillParked: number }> {
    await this.init();
    const parked = await parkedEvents(this.db.reader, CHURN_RISK_PROCESS_COMPONENT);
    const customers = [...new Set(parked.map((p) => customerIdOf(p.streamId)).filter((id): id is string => id !== null))];
    const { outcomes, failures } = await this.evaluateAll(customers, this.clock());
    await this.db.transaction(async (tx) => {
      await tx.run(`DELETE FROM ${PARKED_EVENTS} WHERE component = ?`, [CHURN_RISK_PROCESS_COMPONENT]);
      for (const outcome of outcomes) await this.schedule(tx, outcome);
      await this.parkAll(tx, failures);
    });
    return { retried: customers.length, stillParked: failures.length };
  }

  /** While passes keep failing: since when, and the latest error (`/health` reports it). */
  get lastFailure(): RunFailure | null {
    return this.following.lastFailure;
  }

  /** Reads the customer's stream, decides, appends; re-reads when another writer got there first. */
  async evaluate(customerId: string, now: Date = this.clock()): Promise<CustomerEvaluation> {
    if (this.inForce === null) await this.init();
    const maxAttempts = this.options.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const judgement = this.judge(customerId, await this.store.readStream(customerStreamId(customerId)), now);
      if (judgement.events.length === 0) return outcomeOf(judgement, 0);
      try {
        const result = await this.store.append([appendRequestOf(judgement)]);
        return outcomeOf(judgement, result.events.filter((e) => !e.duplicate).length);
      } catch (error) {
        const raced = error instanceof WrongExpectedRevisionError || error instanceof DuplicateEventIdError;
        if (!raced || attempt >= maxAttempts) throw error;
      }
    }
  }

  /** The global position up to which facts have been evaluated. */
  async position(): Promise<number> {
    await this.init();
    const row = await this.db.reader.get<{ position: number }>(`SELECT position FROM ${CHECKPOINT} WHERE name = ?`, [NAME]);
    return Number(row?.position ?? 0);
  }

  /** Replays from the start of the log on the next run: every customer is evaluated again. */
  async resetCheckpoint(): Promise<void> {
    await this.init();
    await this.db.transaction((tx) => tx.run(`UPDATE ${CHECKPOINT} SET position = 0 WHERE name = ?`, [NAME]));
  }

  /**
   * Records when the customer must be looked at again. The revision guard keeps a slower
   * evaluation of an older stream (another process) from undoing a newer one's schedule.
   */
  private async schedule(tx: SqlExecutor, outcome: CustomerEvaluation): Promise<void> {
    if (outcome.nextCheckAt === null) {
      await tx.run(`DELETE FROM ${WATCH} WHERE customer_id = ? AND revision <= ?`, [outcome.customerId, outcome.revision]);
      return;
    }
    await tx.run(
      `INSERT INTO ${WATCH} (customer_id, next_check_at, revision) VALUES (?, ?, ?)
       ON CONFLICT (customer_id) DO UPDATE SET next_check_at = excluded.next_check_at, revision = excluded.revision
       WHERE ${WATCH}.revision <= excluded.revision`,
      [outcome.customerId, Date.parse(outcome.nextCheckAt), outcome.revision],
    );
  }
}

/** Adds the customers with a new fact in these events, in order of first appearance. */
function addTouchedCustomers(events: readonly EventHeader[], customers: Set<string>): void {
  for (const event of events) {
    if (!TRIGGER_TYPES.has(event.type)) continue;
    const customerId = customerIdOf(event.streamId);
    if (customerId !== null) customers.add(customerId);
  }
}

/** The stream as domain events; malformed events (parked by the projections) are left out. */
function journeyEventsOf(stored: readonly StoredEvent[]): RecordedJourneyEvent[] {
  const events: RecordedJourneyEvent[] = [];
  for (const event of stored) {
    const checked = asJourneyEvent(event);
    if (checked.ok) events.push(checked.event);
  }
  return events;
}

function isRuleList(rules: readonly ChurnRule[] | ChurnRulesSource): rules is readonly ChurnRule[] {
  return Array.isArray(rules);
}

/**
 * What the checkpoint remembers of the rules a run judged by: the rules (sorted-key JSON, so the
 * same rules always read the same), and the revisions of any rule given a new definition since it
 * first appeared (its episodes have ids of their own). Rules never redefined read as a fixed list
 * of the same rules does, so versioning them, or a benchmark's fixed rules, re-evaluates no one.
 */
function rulesFingerprint({ rules, revisions }: ChurnRulesInForce): string {
  const redefined = rules.filter((rule) => (revisions.get(rule.id)?.length ?? 0) > 1).map((rule) => [rule.id, revisions.get(rule.id)]);
  return redefined.length === 0 ? stableJson(rules) : `${stableJson(rules)} ${stableJson(redefined)}`;
}
