import { isBottomTwoBox, isTopTwoBox, npsClass } from '../feedback-scales';
import type { JourneyEvent } from '../journey-events';
import { RECORDED_FACT_TYPES } from '../wire-types';
import type { ChurnRule, DetractorWithoutUseRule, InactiveAfterPurchaseRule, RepeatedHardEffortRule, TicketOpenTooLongRule } from './churn-rules';

/**
 * One tracker per rule walks a customer's facts in time order and records every stretch of time
 * in which the rule's condition held (a match): when it began (`since`), what proves it
 * (`evidence`), and when and why it stopped. Recording past stretches too, not only "does it hold
 * now", is what makes the flags a function of the facts alone: a customer imported a year late
 * gets the same flags and clears as one followed live.
 *
 * A match is identified by `key`, the id of the event that anchors it; the flag's event id is
 * built from it, so each key must begin at most one match per rule.
 *
 * Churn suspends every rule: matches in progress end ("customer churned") and the slate is wiped;
 * reactivation starts a fresh period (tickets still open carry over, under a new key).
 */
export interface TimedEvent {
  event: JourneyEvent;
  /** occurredAt in epoch milliseconds. */
  at: number;
}

export interface RuleMatch {
  key: string;
  evidence: string[];
  since: number;
  endedAt: number | null;
  endReason: string | null;
}

export interface RuleTracker {
  observe(fact: TimedEvent): void;
  suspend(churn: TimedEvent): void;
  resume(reactivation: TimedEvent): void;
  /** Every match up to `now`, and the next instant after `now` a match could begin by time alone. */
  finish(now: number): { matches: RuleMatch[]; nextCheckAt: number | null };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export const CUSTOMER_CHURNED_REASON = 'customer churned';

/** Facts that show the customer is active (CustomerReactivated counts too, via `resume`). */
const ACTIVITY_TYPES: ReadonlySet<JourneyEvent['type']> = new Set(
  [...RECORDED_FACT_TYPES].filter((type) => type !== 'CustomerChurned' && type !== 'CustomerReactivated'),
);

export function trackerFor(rule: ChurnRule): RuleTracker {
  switch (rule.kind) {
    case 'detractor-without-use':
      return new DetractorWithoutUse(rule);
    case 'repeated-hard-effort':
      return new RepeatedHardEffort(rule);
    case 'ticket-open-too-long':
      return new TicketOpenTooLong(rule);
    case 'inactive-after-purchase':
      return new InactiveAfterPurchase(rule);
  }
}

/** Common bookkeeping: ended matches, and a match that may be still open at `finish`. */
abstract class Tracker implements RuleTracker {
  protected readonly ended: RuleMatch[] = [];
  protected active = true;

  abstract observe(fact: TimedEvent): void;
  abstract suspend(churn: TimedEvent): void;
  abstract resume(reactivation: TimedEvent): void;
  protected abstract pending(now: number): { open: RuleMatch[]; nextCheckAt: number | null };

  finish(now: number): { matches: RuleMatch[]; nextCheckAt: number | null } {
    if (!this.active) return { matches: [...this.ended], nextCheckAt: null };
    const { open, nextCheckAt } = this.pending(now);
    return { matches: [...this.ended, ...open], nextCheckAt };
  }

  /** Records a stretch [since, endedAt); an empty one (ended the instant it began) never held. */
  protected end(match: Omit<RuleMatch, 'endedAt' | 'endReason'>, endedAt: number, endReason: string): void {
    if (endedAt > match.since) this.ended.push({ ...match, endedAt, endReason });
  }
}

/**
 * An NPS detractor answer starts a run; more detractor answers join it; a `use`-stage visit or a
 * passive/promoter answer ends it for good. The condition holds from `days` after the run's first
 * detractor answer until the run ends. A later detractor answer starts a new run (a new episode).
 */
class DetractorWithoutUse extends Tracker {
  private run: { anchor: TimedEvent; detractors: TimedEvent[] } | null = null;

  constructor(private readonly rule: DetractorWithoutUseRule) {
    super();
  }

  observe(fact: TimedEvent): void {
    if (!this.active) return;
    const { event, at } = fact;
    if (event.type === 'FeedbackGiven' && event.data.kind === 'nps' && typeof event.data.score === 'number') {
      const kind = npsClass(event.data.score);
      if (kind === 'detractor') {
        this.run ??= { anchor: fact, detractors: [] };
        this.run.detractors.push(fact);
      } else {
        this.close(at, `later NPS answer ${event.data.score} (${kind}): ${event.eventId}`);
      }
    } else if (event.type === 'TouchpointVisited' && event.data.stage === 'use') {
      this.close(at, `use-stage visit to ${event.data.touchpoint}: ${event.eventId}`);
    }
  }

  suspend(churn: TimedEvent): void {
    this.close(churn.at, CUSTOMER_CHURNED_REASON);
    this.active = false;
  }

  resume(): void {
    this.active = true;
    this.run = null;
  }

  protected pending(now: number) {
    if (!this.run) return { open: [], nextCheckAt: null };
    const match = this.match(this.run);
    return match.since <= now ? { open: [{ ...match, endedAt: null, endReason: null }], nextCheckAt: null } : { open: [], nextCheckAt: match.since };
  }

  private close(at: number, reason: string): void {
    if (this.run) this.end(this.match(this.run), at, reason);
    this.run = null;
  }

  /** Evidence: the run's detractor answers up to the instant the condition began. */
  private match(run: { anchor: TimedEvent; detractors: TimedEvent[] }) {
    const since = run.anchor.at + this.rule.days * DAY_MS;
    const evidence = run.detractors.filter((d) => d.at <= since).map((d) => d.event.eventId);
    return { key: run.anchor.event.eventId, evidence, since };
  }
}

/**
 * Hard CES answers (bottom-two-box) since the last easy one (top-two-box) are counted; the
 * condition begins at the first hard answer that completes `count` consecutive hard answers
 * lying within `days`, and holds until an easy CES answer. Neutral answers neither start nor end
 * it, and a further hard answer never ends it: more hard effort is not less churn risk.
 */
class RepeatedHardEffort extends Tracker {
  private hard: TimedEvent[] = [];
  private current: Omit<RuleMatch, 'endedAt' | 'endReason'> | null = null;

  constructor(private readonly rule: RepeatedHardEffortRule) {
    super();
  }

  observe(fact: TimedEvent): void {
    const { event, at } = fact;
    if (!this.active || event.type !== 'FeedbackGiven' || event.data.kind !== 'ces' || typeof event.data.score !== 'number') return;
    const { score, scale } = event.data;
    if (isTopTwoBox(score, scale)) {
      if (this.current) this.end(this.current, at, `easy CES answer ${score} on ${scale}: ${event.eventId}`);
      this.reset();
    } else if (isBottomTwoBox(score, scale) && !this.current) {
      this.hard.push(fact);
      if (this.hard.length > this.rule.count) this.hard.shift();
      const first = this.hard[0];
      if (this.hard.length === this.rule.count && at - first.at <= this.rule.days * DAY_MS) {
        this.current = { key: first.event.eventId, evidence: this.hard.map((h) => h.event.eventId), since: at };
      }
    }
  }

  suspend(churn: TimedEvent): void {
    if (this.current) this.end(this.current, churn.at, CUSTOMER_CHURNED_REASON);
    this.reset();
    this.active = false;
  }

  resume(): void {
    this.active = true;
    this.reset();
  }

  protected pending() {
    return { open: this.current ? [{ ...this.current, endedAt: null, endReason: null }] : [], nextCheckAt: null };
  }

  private reset(): void {
    this.hard = [];
    this.current = null;
  }
}

/**
 * Each open ticket holds the condition from `hours` after it was opened until it is resolved.
 * A ticket still open when a churned customer comes back holds again from the reactivation, keyed
 * `<ticket opened id>@<reactivation id>` so that its new episode gets a new id.
 */
class TicketOpenTooLong extends Tracker {
  private readonly open = new Map<string, TimedEvent>();
  private periodStart = Number.NEGATIVE_INFINITY;
  private reactivationId: string | null = null;

  constructor(private readonly rule: TicketOpenTooLongRule) {
    super();
  }

  observe(fact: TimedEvent): void {
    const { event, at } = fact;
    if (event.type === 'TicketOpened') this.open.set(event.data.ticketId, fact);
    if (event.type === 'TicketResolved') {
      const opened = this.open.get(event.data.ticketId);
      if (!opened) return;
      this.open.delete(event.data.ticketId);
      if (this.active) this.end(this.match(opened), at, `ticket ${event.data.ticketId} resolved: ${event.eventId}`);
    }
  }

  suspend(churn: TimedEvent): void {
    for (const opened of this.open.values()) this.end(this.match(opened), churn.at, CUSTOMER_CHURNED_REASON);
    this.active = false;
  }

  resume(reactivation: TimedEvent): void {
    this.active = true;
    this.periodStart = reactivation.at;
    this.reactivationId = reactivation.event.eventId;
  }

  protected pending(now: number) {
    const open: RuleMatch[] = [];
    let nextCheckAt: number | null = null;
    for (const opened of this.open.values()) {
      const match = this.match(opened);
      if (match.since <= now) open.push({ ...match, endedAt: null, endReason: null });
      else nextCheckAt = Math.min(nextCheckAt ?? Number.POSITIVE_INFINITY, match.since);
    }
    return { open, nextCheckAt };
  }

  private match(opened: TimedEvent) {
    const id = opened.event.eventId;
    const key = opened.at >= this.periodStart || this.reactivationId === null ? id : `${id}@${this.reactivationId}`;
    return { key, evidence: [id], since: Math.max(opened.at + this.rule.hours * HOUR_MS, this.periodStart) };
  }
}

/**
 * Once the customer has purchased, the condition holds from `days` after their latest activity
 * until their next one. The latest activity anchors the episode (its key), so every silence gets
 * its own episode; the evidence is the latest purchase and that last activity.
 */
class InactiveAfterPurchase extends Tracker {
  private purchase: TimedEvent | null = null;
  private last: TimedEvent | null = null;

  constructor(private readonly rule: InactiveAfterPurchaseRule) {
    super();
  }

  observe(fact: TimedEvent): void {
    const { event, at } = fact;
    if (!ACTIVITY_TYPES.has(event.type)) return;
    if (this.active) {
      const match = this.match();
      if (match) this.end(match, at, `activity after ${this.rule.days} days without any: ${event.type} ${event.eventId}`);
      this.last = fact;
    }
    if (event.type === 'PurchaseMade') this.purchase = fact;
  }

  suspend(churn: TimedEvent): void {
    const match = this.match();
    if (match) this.end(match, churn.at, CUSTOMER_CHURNED_REASON);
    this.last = null;
    this.active = false;
  }

  resume(reactivation: TimedEvent): void {
    this.active = true;
    this.last = reactivation;
  }

  protected pending(now: number) {
    const match = this.match();
    if (!match) return { open: [], nextCheckAt: null };
    return match.since <= now ? { open: [{ ...match, endedAt: null, endReason: null }], nextCheckAt: null } : { open: [], nextCheckAt: match.since };
  }

  private match() {
    if (!this.purchase || !this.last) return null;
    const purchaseId = this.purchase.event.eventId;
    const lastId = this.last.event.eventId;
    return { key: lastId, evidence: lastId === purchaseId ? [purchaseId] : [purchaseId, lastId], since: this.last.at + this.rule.days * DAY_MS };
  }
}
