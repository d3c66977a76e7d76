import type { EventStore, EventStoreHealth } from '@journeyline/event-store';
import type { ChurnRule } from '@journeyline/journey';
import {
  assessFollowers,
  ChurnRiskProcess,
  type ChurnRulesSource,
  type ChurnRiskRun,
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
  SqliteReadModelDatabase,
} from '@journeyline/projections';
import type { JourneylineConfig } from '../config/journeyline-config';
import type { Log } from '../logging/log';
import { ProjectorThread, type LiveProjector, type ParkedNotice } from './projector-thread';

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

/** How far the read models are behind the log, for `/health/ready` (and the server's behind header). */
export interface Readiness {
  /** `ready` once the start-up catch-up has finished; a lag after that is `/health`'s business (`degraded`), not a reason to stop serving. */
  status: 'ready' | 'catching-up';
  head: number;
  projections: { name: string; position: number; head: number; behind: number }[];
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
  /** On a thread of its own for SQLite files (ProjectorThread, JOURNEYLINE_PROJECTOR_THREAD), else here. */
  readonly projector: LiveProjector;
  readonly churnRisk: ChurnRiskProcess;
  /** Bad answers open follow-ups (their own streams, so also a writer to the log). */
  readonly followUps: FollowUpProcess;
  private readonly others: Follower[] = [];
  private unsubscribe: (() => void) | null = null;
  private lastReport = 0;
  private readonly churnRunListeners: ((run: ChurnRiskRun) => void)[] = [];
  /** The start-up catch-up, when it runs in the background (`startInBackground`). */
  private starting: Promise<void> | null = null;
  private caughtUp = false;
  private stopping = false;
  /** Wake-ups asked for during the start-up catch-up: one is given when it ends (a second catch-up beside the first would only double the work). */
  private wokenDuringStart = false;
  private cancelPause: (() => void) | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly readModels: ReadModelDatabase,
    private readonly config: JourneylineConfig,
    /** The churn-risk rules: versioned (the registry), or a fixed list. */
    rules: readonly ChurnRule[] | ChurnRulesSource,
    private readonly log: Log,
    /** Opens sealed names for the customer search's index; without it (tests) the index is not kept. */
    personal?: SearchablePersonalData,
  ) {
    const onError = (component: string) => (error: unknown) => log.error({ component, err: error }, `${component} failed; it retries on the next wake-up`);
    const projections = journeylineProjections(store, config.timeZone, personal);
    const projectorLog = {
      onError: onError('projector'),
      onParked: (parked: ParkedNotice) =>
        log.error({ component: 'projector', ...parked }, 'event parked: the projection moved on without it; fix the cause, then run journeyline retry-parked'),
    };
    if (runsOnItsOwnThread(config, readModels)) {
      this.projector = new ProjectorThread(store, readModels, projections, config, {
        ...projectorLog,
        onExit: (error) => log.error({ component: 'projector', err: error }, 'the projector thread ended unasked; it starts again in a second'),
      });
      log.info({ component: 'projector' }, 'the projector runs on a thread of its own (JOURNEYLINE_PROJECTOR_THREAD)');
    } else {
      this.projector = new Projector(store, readModels, projections, projectorLog);
    }
    this.churnRisk = new ChurnRiskProcess(store, readModels, rules, {
      intervalMs: config.churnCheckIntervalMs,
      onError: onError('churn-risk-process'),
      onRun: (run) => this.churnRunListeners.forEach((listener) => listener(run)),
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

  /** Called after every pass of the churn-risk rules (telemetry counts them). */
  onChurnRiskRun(listener: (run: ChurnRiskRun) => void): void {
    this.churnRunListeners.push(listener);
  }

  /** Whether the start-up catch-up has finished. */
  get isCaughtUp(): boolean {
    return this.caughtUp;
  }

  /**
   * Catches the read models and the churn-risk rules up with the log (saying how far it is every
   * two seconds: a first start on a long log takes a while), then keeps them following it.
   */
  async start(): Promise<void> {
    const started = Date.now();
    await this.projector.start((progress) => this.reportCatchUp('projections', Math.min(...progress.map((p) => p.position)), progress[0]?.head ?? 0));
    if (this.stopping) return;
    await this.churnRisk.start(({ position, head }) => this.reportCatchUp('churn-risk rules', position, head));
    if (this.stopping) return;
    await this.followUps.start(({ position, head }) => this.reportCatchUp('follow-ups', position, head));
    if (this.stopping) return;
    // the flags and follow-ups those two appended while catching up: read models include them before anyone is told they are up to date
    await this.projector.catchUp();
    if (this.stopping) return;
    const subscribable = this.store as EventStore & { subscribe?: (listener: () => void) => () => void };
    if (typeof subscribable.subscribe === 'function') this.unsubscribe ??= subscribable.subscribe(() => this.wake());
    this.caughtUp = true;
    this.log.info({ position: await this.projector.position(), ms: Date.now() - started }, 'read models and churn-risk rules up to date');
    if (this.wokenDuringStart) this.wake();
  }

  /**
   * For a process that serves while it catches up (the server): the read models' tables are made
   * now, so reads answer at once from what has been applied, and the catch-up runs in the
   * background (tried again with backoff while it fails, a database down say); `readiness()` says
   * how far it is. `stop()` waits for the step in hand.
   */
  async startInBackground(): Promise<void> {
    await this.projector.init();
    await this.churnRisk.init();
    await this.followUps.init();
    this.starting = this.catchUpInBackground();
  }

  private async catchUpInBackground(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        if (this.stopping) return;
        const retryInMs = Math.min(30_000, 250 * 2 ** attempt);
        this.log.error({ err: error, attempt, retryInMs }, 'catching up with the event log failed; trying again');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryInMs);
          this.cancelPause = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.cancelPause = null;
      }
    }
  }

  /**
   * Each projection's position against the head of the log (and the churn-risk and follow-up
   * processes', which write read models too); `ready` once the start-up catch-up has finished.
   */
  async readiness(): Promise<Readiness> {
    const progress = await this.projector.progress();
    const head = progress[0]?.head ?? (await this.store.headPosition());
    const positions = [
      ...progress.map((p) => ({ name: p.projection, position: p.position })),
      { name: 'churn-risk-process', position: await this.churnRisk.position() },
      { name: this.followUps.name, position: await this.followUps.position() },
    ];
    return {
      status: this.caughtUp ? 'ready' : 'catching-up',
      head,
      projections: positions.map((p) => ({ ...p, head, behind: Math.max(0, head - p.position) })),
    };
  }

  /** Events in the log that the slowest read model has not applied yet: how far behind a read answered now may be. */
  async behind(): Promise<number> {
    const progress = await this.projector.progress();
    return Math.max(0, ...progress.map((p) => p.head - p.position));
  }

  wake(): void {
    if (!this.caughtUp) {
      this.wokenDuringStart = true;
      return;
    }
    this.projector.wake();
    this.churnRisk.wake();
    for (const follower of this.others) follower.wake();
  }

  /** Stops following; the transaction in hand finishes first. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelPause?.();
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.followUps.stop();
    await this.churnRisk.stop();
    await this.projector.stop();
    await this.starting;
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

/** The projector gets a thread of its own where one can open the same files: SQLite read models in a file (and the setting on). */
function runsOnItsOwnThread(config: JourneylineConfig, readModels: ReadModelDatabase): readModels is SqliteReadModelDatabase {
  return config.projectorThread && readModels instanceof SqliteReadModelDatabase && readModels.filename !== ':memory:';
}
