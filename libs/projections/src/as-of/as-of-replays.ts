import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventStore } from '@journeyline/event-store';
import { ChurnRiskProjection } from '../churn-risk/churn-risk.projection';
import { CxCutsProjection } from '../cx-cuts/cx-cuts.projection';
import { CustomerSearchProjection, type SearchablePersonalData } from '../customer-search/customer-search.projection';
import { CustomerValueProjection } from '../customer-value/customer-value.projection';
import { CxMetricsProjection } from '../cx-metrics/cx-metrics.projection';
import { FollowUpsProjection } from '../follow-ups/follow-ups.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import { TargetsProjection } from '../targets/targets.projection';
import { TouchpointCatalogProjection } from '../touchpoint-catalog/touchpoint-catalog.projection';
import type { SqlExecutor } from '../runtime/sql-executor';
import { SqliteReadModelDatabase } from '../sqlite/sqlite-read-model-database';
import { SurveyResponsesProjection } from '../survey-responses/survey-responses.projection';
import { forgetErased, openCopy, SnapshotBuilder, type AsOfSnapshotOptions, type SnapshotSet } from './snapshot-builder';
import { recordedInPositionOrder } from './recorded-until';
import { SnapshotLadder } from './snapshot-ladder';
import { ReplayHere, type ReplayedReadModels, type ReplayRunner } from './replay-step';

/** How a read answered from replayed read models (funnel, retention, cohorts, the customer list, metric cuts, ...) was answered as of a past moment. */
export interface ReplayStatement {
  asOf: string;
  /**
   * 'replay': the whole log up to asOf; 'snapshot + replay': a snapshot of the read models, then
   * the log after it up to asOf; 'kept moment + replay': the read models kept for another moment
   * (`keptAsOf`: an earlier one, or a later one that knew no more up to where it had read), then the
   * log after them up to asOf.
   */
  path: 'replay' | 'snapshot + replay' | 'kept moment + replay';
  /** Events of the log read to rebuild the read models as they were (after the snapshot, when one was used). */
  eventsReplayed: number;
  /** How long the replay took, copying the snapshot included (0 when it was kept from an earlier request). */
  replayMs: number;
  /** With a snapshot or a kept moment: the log position it had applied (the replay read the log after it). */
  snapshotPosition?: number;
  /** 'kept moment + replay': the moment whose read models this replay started from. */
  keptAsOf?: string;
}

/** Read models as of a moment, lent to one read: `release()` when the read is done. */
export interface LentReplay {
  reader: SqlExecutor;
  statement: ReplayStatement;
  release(): Promise<void>;
}

/** Where a replay started: a copy of a snapshot or of a kept moment's read models, at `position` (every event up to it applied, the latest recorded at `recordedUntil`). */
interface Start {
  position: number;
  recordedUntil: string;
  keptAsOf?: string;
}

interface Made {
  db: SqliteReadModelDatabase;
  dir: string;
  file: string;
  eventsReplayed: number;
  replayMs: number;
  start: Start | null;
  /** When the read models are a prefix of the log (always on SQLite): a later moment's replay may start from a copy of them. */
  prefix: Omit<Start, 'keptAsOf'> | null;
  /** How many erased customers the key vault had when they were last forgotten here (see `forgetErasedSince`). */
  erasedForgotten: number;
}

interface Replay {
  key: string;
  ready: Promise<Made>;
  /** Set once `ready` has resolved. */
  made?: Made;
  /** Reads using it now (and a copy being made of it). */
  users: number;
  /** Dropped from the cache: closed and removed when its last user is done. */
  evicted: boolean;
}

/**
 * The per-customer read models (journey map and its comments, portraits and the metric cuts,
 * churn-risk flags, follow-ups, customer value and search, survey links sent and answered): the
 * customer list, funnel, retention, cohorts, the metric cuts, explain, the touchpoints' comments and
 * visits by stage, follow-up stats and survey response rates read them.
 */
export function customerReadModels(timeZone: string, personal?: SearchablePersonalData): ReplayedReadModels {
  return (log) => [
    new JourneyMapProjection(log, timeZone),
    new CxCutsProjection(timeZone),
    new ChurnRiskProjection(),
    new FollowUpsProjection(),
    new CustomerValueProjection(),
    new SurveyResponsesProjection(),
    ...(personal ? [new CustomerSearchProjection(personal)] : []),
  ];
}

/**
 * The metrics with what they are grouped by and compared with (the touchpoint catalog, the
 * targets): metrics by experience type or owner and the attention list read them. Their own
 * replay, not the per-customer one: it costs about half of that (no journey map).
 */
export function metricReadModels(timeZone: string): ReplayedReadModels {
  return () => [new CxMetricsProjection(timeZone), new TouchpointCatalogProjection(), new TargetsProjection()];
}

export interface AsOfReplaysOptions {
  /** Moments kept (default 2). */
  keep?: number;
  snapshots?: AsOfSnapshotOptions;
  /** Where the replays and the snapshot builder's steps run (default: on this thread; the server gives them a thread of their own). */
  runner?: ReplayRunner;
  /** Where a replay's scratch copy is made (default: the system's temporary directory). */
  scratchDir?: string;
  /** Events in one transaction of a replay (default AS_OF_TRANSACTION_EVENTS): longer ones replay faster and hold more memory. */
  transactionEvents?: number;
}

/**
 * Read models (`readModels`) as they were at a past moment, rebuilt by replaying the log up to it
 * (RecordedUntil) into a scratch SQLite file, then read by the same queries as today's. Exact by
 * construction, but it costs a replay of the log up to `asOf` (seconds for hundreds of thousands
 * of events), so:
 * - the last `keep` moments are kept (a dashboard asks the same moment again and again);
 * - one replay runs at a time (of these read models): a flood of requests for different moments queues behind it
 *   instead of running many replays side by side (each request still has the server's timeout);
 * - a scratch file leaves the cache only when no read is using it, and is then closed and removed
 *   at once (and every one on close).
 *
 * With `snapshots`, a ladder of snapshots makes that cost a short tail. A snapshot is the scratch
 * file after replaying the log up to a position P (the projector's checkpoints at P), kept on disk
 * (snapshot-ladder.ts) with the latest recordedAt among the events up to P. A moment at or after
 * that is answered from a copy of the newest such snapshot, caught up with the events after P
 * recorded by then: the same events in the same order as a full replay, so the same read models
 * (the property test in as-of-snapshots.spec.ts). The builder (snapshot-builder.ts, started by
 * `startSnapshots`) adds one every `everyEvents` events of the log in jobs queued with the
 * replays. Snapshots of other projection versions or settings are deleted and built again. A
 * snapshot made before a customer's erasure may hold what was derived from their opened data (the
 * search's tokens): every copy forgets the erased customers before it is read, and the builder
 * rewrites the snapshots themselves.
 *
 * The metrics by touchpoint, channel or stage have a fast path of their own (metrics-as-of.ts).
 */
export class AsOfReplays {
  private readonly cache = new Map<string, Replay>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly keep: number;
  private readonly set: SnapshotSet;
  private readonly ladder: SnapshotLadder | null;
  private readonly builder: SnapshotBuilder | null;
  private readonly runner: ReplayRunner;
  private readonly scratchDir: string | undefined;
  private readonly transactionEvents: number | undefined;
  private readonly onError?: (error: unknown) => void;

  constructor(store: EventStore, readModels: ReplayedReadModels, options: AsOfReplaysOptions = {}) {
    this.keep = options.keep ?? 2;
    const projections = readModels(store);
    const snapshots = options.snapshots && options.snapshots.everyEvents > 0 ? options.snapshots : null;
    this.set = {
      store,
      projections: readModels,
      versions: Object.fromEntries(projections.map((p) => [p.name, p.version])),
      forgets: projections.some((p) => p.forget),
      // given with the snapshot options, also when snapshots are off: kept moments forget the erased too
      erasures: options.snapshots?.erasures,
    };
    if (this.set.forgets && snapshots && !snapshots.erasures) throw new Error('snapshots of read models that keep personal data need the erased customers');
    this.runner = options.runner ?? new ReplayHere(store, readModels);
    this.scratchDir = options.scratchDir;
    this.transactionEvents = options.transactionEvents;
    this.ladder = snapshots ? new SnapshotLadder(snapshots.dir, { projections: this.set.versions, settings: snapshots.settings }) : null;
    this.builder = snapshots && this.ladder ? new SnapshotBuilder(store, this.set, this.ladder, snapshots, (job) => this.queued(job), this.runner) : null;
    this.onError = snapshots?.onError;
  }

  /** The read models as of `asOf`, lent until `release()`. */
  async at(asOf: Date): Promise<LentReplay> {
    const key = asOf.toISOString();
    // nothing more recorded by then than by a kept moment: its read models answer as they are
    const same = this.cache.has(key) ? null : await this.keptKnowingAsMuch(asOf);
    let replay = this.cache.get(key) ?? (same && !same.evicted ? same : undefined);
    const cached = replay !== undefined;
    if (replay)
      this.cache.delete(replay.key); // most recently used last
    else {
      const fresh: Replay = { key, ready: this.enqueue(asOf), users: 0, evicted: false };
      fresh.ready.then(
        (made) => (fresh.made = made),
        () => undefined,
      );
      replay = fresh;
    }
    this.cache.set(replay.key, replay);
    replay.users++;
    await this.evict();
    try {
      const made = await replay.ready;
      if (cached) await this.forgetErasedSince(made);
      let released = false;
      return {
        reader: made.db.reader,
        statement: replay === same ? keptAsItIs(key, same.key, made) : statementOf(key, made, cached),
        release: async () => {
          if (released) return;
          released = true;
          await this.leave(replay);
        },
      };
    } catch (error) {
      await this.leave(replay);
      throw error;
    }
  }

  /**
   * A kept moment whose read models are the log as of `asOf` already: a prefix of the log recorded
   * by then, after which nothing was recorded by then (on SQLite, whose recorded times rise with
   * the position, the event after the prefix was recorded later, or there is none). A dashboard
   * stepping through days when nothing was recorded then reads the kept one again instead of a copy
   * of it (up to a snapshot's size) and an empty replay. Null when none is.
   */
  private async keptKnowingAsMuch(asOf: Date): Promise<Replay | null> {
    if (!recordedInPositionOrder(this.set.store)) return null;
    const kept = this.furthestKept(asOf);
    const prefix = kept?.made?.prefix;
    if (!kept || !prefix) return null;
    const [next] = await this.set.store.readAll({ after: prefix.position, limit: 1 });
    return !next || new Date(next.recordedAt) > asOf ? kept : null;
  }

  /** One replay (or snapshot step) at a time. */
  private enqueue(asOf: Date): Promise<Made> {
    return this.queued(() => this.replay(asOf));
  }

  private queued<T>(job: () => Promise<T>): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async replay(asOf: Date): Promise<Made> {
    const started = Date.now();
    const dir = fs.mkdtempSync(path.join(this.scratchDir ?? os.tmpdir(), 'journeyline-as-of-'));
    const file = path.join(dir, 'read-models.db');
    try {
      const start = await this.copyStart(asOf, file);
      // the runner opens the file for the replay; it is read only once the replay has closed it
      const from = start ? start.position + 1 : 0;
      const step = await this.runner.run({ kind: 'as-of', file, asOf: asOf.toISOString(), from, transactionEvents: this.transactionEvents });
      const db = SqliteReadModelDatabase.open(file, { scratch: true });
      // customers erased since the snapshot or kept moment copied was made, or while it replayed
      const erasedForgotten = await forgetErased(this.set, db);
      const prefix = step.prefix
        ? { position: step.prefix.position, recordedUntil: [start?.recordedUntil ?? '', step.prefix.recordedUntil].reduce((a, b) => (a > b ? a : b)) }
        : null;
      return { db, dir, file, eventsReplayed: step.eventsRead, replayMs: Date.now() - started, start, prefix, erasedForgotten };
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Copies to `file` what a replay as of `asOf` starts from, the furthest along of: the newest
   * usable snapshot, and the read models kept for another moment when they are a prefix of the
   * log whose every event was recorded by `asOf` (a dashboard stepping forward a day replays that
   * day). Either is the log replayed up to a position, so the events after it recorded by `asOf`
   * make the same read models as a replay of the whole log. Null: start from nothing.
   */
  private async copyStart(asOf: Date, file: string): Promise<Start | null> {
    let snapshot = this.ladder?.newestUsable(asOf) ?? null;
    const kept = this.furthestKept(asOf);
    if (kept?.made?.prefix && kept.made.prefix.position > (snapshot?.meta.position ?? 0)) {
      kept.users++; // not removed while it is copied
      try {
        await fs.promises.copyFile(kept.made.file, file);
      } finally {
        await this.leave(kept);
      }
      return { ...kept.made.prefix, keptAsOf: kept.key };
    }
    // an unreadable snapshot is deleted: the next older one is tried
    let copy: SqliteReadModelDatabase | null = null;
    while (snapshot && !(copy = await openCopy(this.set, this.ladder!, snapshot, file, this.onError))) snapshot = this.ladder!.newestUsable(asOf);
    if (!snapshot || !copy) return null;
    await copy.close();
    return { position: snapshot.meta.position, recordedUntil: snapshot.meta.recordedUntil };
  }

  /**
   * A kept moment's read models forget the customers erased since they were made (a search by
   * name as of a moment before an erasure must not find them, as a replay now would not): asked
   * again, they are checked against the key vault's count of erased customers.
   */
  private async forgetErasedSince(made: Made): Promise<void> {
    if (!this.set.forgets || !this.set.erasures) return;
    const erased = (await this.set.erasures.erasedCustomers()).length;
    if (erased !== made.erasedForgotten) made.erasedForgotten = await forgetErased(this.set, made.db);
  }

  /** The kept moment whose read models a replay as of `asOf` may start from, the furthest along the log; null when none may. */
  private furthestKept(asOf: Date): Replay | null {
    const until = asOf.toISOString();
    let furthest: Replay | null = null;
    for (const replay of this.cache.values()) {
      const prefix = replay.made?.prefix;
      if (!prefix || replay.evicted || prefix.recordedUntil > until) continue;
      if (!furthest || prefix.position > furthest.made!.prefix!.position) furthest = replay;
    }
    return furthest;
  }

  /** Runs the snapshot builder (SnapshotBuilder): extends the ladder now and whenever the log has grown. Stopped by `close()`. */
  startSnapshots(): void {
    this.builder?.start();
  }

  /** Extends the ladder as far as the log allows now (each job queued as a replay is). Returns the snapshots written. */
  extendSnapshots(): Promise<number> {
    return this.builder?.extend() ?? Promise.resolve(0);
  }

  private async leave(replay: Replay): Promise<void> {
    replay.users--;
    // a failed replay is not kept: the next request tries again
    const failed = await replay.ready.then(
      () => false,
      () => true,
    );
    if (failed && this.cache.get(replay.key) === replay) {
      this.cache.delete(replay.key);
      replay.evicted = true;
    }
    if (replay.evicted && replay.users === 0) await this.drop(replay);
  }

  private async evict(): Promise<void> {
    for (const [key, replay] of this.cache) {
      if (this.cache.size <= this.keep) return;
      this.cache.delete(key);
      replay.evicted = true;
      if (replay.users === 0) await this.drop(replay);
    }
  }

  private async drop(replay: Replay): Promise<void> {
    const made = await replay.ready.catch(() => null);
    if (!made || !fs.existsSync(made.dir)) return;
    await made.db.close();
    fs.rmSync(made.dir, { recursive: true, force: true });
  }

  async close(): Promise<void> {
    await this.builder?.stop();
    const all = [...this.cache.values()];
    this.cache.clear();
    for (const replay of all) await this.drop(replay);
    await this.runner.close();
  }
}

/** A kept moment's read models lent as they are for another moment (AsOfReplays.keptKnowingAsMuch): nothing replayed. */
function keptAsItIs(asOf: string, keptAsOf: string, made: Made): ReplayStatement {
  return { asOf, path: 'kept moment + replay', eventsReplayed: 0, replayMs: 0, snapshotPosition: made.prefix!.position, keptAsOf };
}

function statementOf(asOf: string, made: Made, cached: boolean): ReplayStatement {
  const replayed = { eventsReplayed: made.eventsReplayed, replayMs: cached ? 0 : made.replayMs };
  if (!made.start) return { asOf, path: 'replay', ...replayed };
  if (made.start.keptAsOf === undefined) return { asOf, path: 'snapshot + replay', ...replayed, snapshotPosition: made.start.position };
  return { asOf, path: 'kept moment + replay', ...replayed, snapshotPosition: made.start.position, keptAsOf: made.start.keptAsOf };
}
