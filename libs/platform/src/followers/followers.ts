import type { EventStore, EventStoreHealth } from '@journeyline/event-store';
import type { ChurnRule } from '@journeyline/journey';
import {
  assessFollowers,
  ChurnRiskProcess,
  FOLLOW_UP_PROCESS_COMPONENT,
  FollowUpProcess,
  journeylineProjections,
  parkedSummary,
  Projector,
  type FollowerState,
  type ParkedSummary,
  type ReadModelDatabase,
  type RunFailure,
  type SearchablePersonalData,
} from '@journeyline/projections';
import type { JourneylineConfig } from '../config/journeyline-config';
import type { Log } from '../logging/log';

/** Anything else that follows the log and wants waking with the rest (the worker's outbound publisher). */
export interface Follower {
  readonly name: string;
  wake(): void;
  position(): Promise<number>;
  readonly lastFailure?: RunFailure | null;
}

/** `/health` as the server and the worker answer it (the worker adds its Kafka parts). */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  store: string;
  position: number;
  detail?: string;
  storeWritable: boolean;
  projections: { name: string; position: number; lag: number }[];
  churnRisk: { position: number; lag: number } | null;
  parked: ParkedSummary[];
  failing: { component: string; since: string; error: string }[];
  reasons: string[];
}

/**
 * Everything that follows the event log in one process, started, woken and stopped in one place:
 * the projector (read models), the churn-risk process (flags back into the log) and any other
 * follower a process adds. The server, the worker and the CLI get them from here, with the same
 * logging and the same health verdict.
 *
 * Wake-ups come from one place too: `wake()` after this process appended, and the store's own
 * announcements of other processes' appends (PostgreSQL LISTEN/NOTIFY, KurrentDB `$all`), on
 * top of each follower's poll timer.
 */
export class Followers {
  readonly projector: Projector;
  readonly churnRisk: ChurnRiskProcess;
  /** Bad answers open follow-ups (their own streams, so also a writer to the log). */
  readonly followUps: FollowUpProcess;
  private readonly others: Follower[] = [];
  private unsubscribe: (() => void) | null = null;
  private lastReport = 0;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    private readonly config: JourneylineConfig,
    rules: readonly ChurnRule[],
    private readonly log: Log,
    /** Opens sealed names for the customer search's index; without it (tests) the index is not kept. */
    personal?: SearchablePersonalData,
  ) {
    const onError = (component: string) => (error: unknown) => log.error({ component, err: error }, `${component} failed; it retries on the next wake-up`);
    this.projector = new Projector(store, readModels, journeylineProjections(store, config.timeZone, personal), {
      onError: onError('projector'),
      onParked: (parked) =>
        log.error({ component: 'projector', ...parked }, 'event parked: the projection moved on without it; fix the cause, then run journeyline retry-parked'),
    });
    this.churnRisk = new ChurnRiskProcess(store, readModels, rules, {
      intervalMs: config.churnCheckIntervalMs,
      onError: onError('churn-risk-process'),
      onParked: (parked) =>
        log.error(
          { component: 'churn-risk-process', ...parked },
          'customer parked: the churn-risk rules could not evaluate them; fix the cause, then run journeyline retry-parked',
        ),
    });
    this.followUps = new FollowUpProcess(store, readModels, {
      intervalMs: config.churnCheckIntervalMs,
      maxAgeMs: config.followUpMaxAgeDays * 86_400_000,
      onError: onError(FOLLOW_UP_PROCESS_COMPONENT),
      onSkipped: ({ customerId, error }) =>
        log.error({ component: FOLLOW_UP_PROCESS_COMPONENT, customerId, err: error }, 'follow-ups of this customer could not be decided; passed over'),
    });
    this.add(this.followUps);
  }

  /** Another follower woken with these (and reported by `health()`). */
  add(follower: Follower): void {
    this.others.push(follower);
  }

  /**
   * Catches the read models and the churn-risk rules up with the log (saying how far it is every
   * two seconds: a first start on a long log takes a while), then keeps them following it.
   */
  async start(): Promise<void> {
    const started = Date.now();
    await this.projector.start((progress) => this.reportCatchUp('projections', Math.min(...progress.map((p) => p.position)), progress[0]?.head ?? 0));
    await this.churnRisk.start(({ position, head }) => this.reportCatchUp('churn-risk rules', position, head));
    await this.followUps.start(({ position, head }) => this.reportCatchUp('follow-ups', position, head));
    const subscribable = this.store as EventStore & { subscribe?: (listener: () => void) => () => void };
    if (typeof subscribable.subscribe === 'function') this.unsubscribe = subscribable.subscribe(() => this.wake());
    this.log.info({ position: await this.projector.position(), ms: Date.now() - started }, 'read models and churn-risk rules up to date');
  }

  wake(): void {
    this.projector.wake();
    this.churnRisk.wake();
    for (const follower of this.others) follower.wake();
  }

  /** Stops following; the transaction in hand finishes first. */
  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.followUps.stop();
    await this.churnRisk.stop();
    await this.projector.stop();
  }

  /** The `/health` answer: 'unavailable' when the store cannot be read, else ok or degraded with the reasons. */
  async health(store: EventStoreHealth): Promise<HealthReport> {
    const reasons: string[] = [];
    let projections: HealthReport['projections'] = [];
    let churnRisk: HealthReport['churnRisk'] = null;
    let parked: ParkedSummary[] = [];
    const followers: FollowerState[] = [];
    try {
      projections = (await this.projector.progress()).map((p) => ({ name: p.projection, position: p.position, lag: Math.max(0, store.position - p.position) }));
      const churnPosition = await this.churnRisk.position();
      churnRisk = { position: churnPosition, lag: Math.max(0, store.position - churnPosition) };
      followers.push(...projections, { name: 'churn-risk-process', position: churnPosition });
      for (const other of this.others) followers.push({ name: other.name, position: await other.position() });
      parked = await parkedSummary(this.readModels.reader);
    } catch (error) {
      reasons.push(`the read models cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    const verdict = store.ok
      ? assessFollowers({
          store,
          followers,
          runners: [
            { name: 'projector', lastFailure: this.projector.lastFailure },
            { name: 'churn-risk-process', lastFailure: this.churnRisk.lastFailure },
            ...this.others.map((o) => ({ name: o.name, lastFailure: o.lastFailure ?? null })),
          ],
          parked,
          maxLag: this.config.healthMaxLag,
        })
      : null;
    reasons.push(...(verdict?.reasons ?? []));
    return {
      status: !store.ok ? 'unavailable' : reasons.length > 0 ? 'degraded' : 'ok',
      store: store.store,
      position: store.position,
      ...(store.detail ? { detail: store.detail } : {}),
      storeWritable: store.ok && store.writable !== false,
      projections,
      churnRisk,
      parked: verdict?.parked ?? [],
      failing: verdict?.failing ?? [],
      reasons,
    };
  }

  private reportCatchUp(part: string, position: number, head: number): void {
    const now = Date.now();
    if (now - this.lastReport < 2000) return;
    this.lastReport = now;
    this.log.info({ part, position, head, percent: Math.floor((100 * position) / Math.max(1, head)) }, 'catching up with the event log');
  }
}
