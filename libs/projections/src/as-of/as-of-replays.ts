import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EventStore } from '@journeyline/event-store';
import { ChurnRiskProjection } from '../churn-risk/churn-risk.projection';
import { CxCutsProjection } from '../cx-cuts/cx-cuts.projection';
import { CustomerSearchProjection, type SearchablePersonalData } from '../customer-search/customer-search.projection';
import { CustomerValueProjection } from '../customer-value/customer-value.projection';
import { FollowUpsProjection } from '../follow-ups/follow-ups.projection';
import { JourneyMapProjection } from '../journey-map/journey-map.projection';
import type { Projection } from '../runtime/projection';
import { Projector } from '../runtime/projector';
import type { SqlExecutor } from '../runtime/sql-executor';
import { SqliteReadModelDatabase } from '../sqlite/sqlite-read-model-database';
import { RecordedUntil } from './recorded-until';

/** How a per-customer read (funnel, retention, cohorts, the customer list) was answered as of a past moment. */
export interface ReplayStatement {
  asOf: string;
  path: 'replay';
  /** Events of the log read to rebuild the read models as they were. */
  eventsReplayed: number;
  /** How long the replay took (0 when it was cached). */
  replayMs: number;
}

interface Replay {
  db: SqliteReadModelDatabase;
  file: string;
  eventsReplayed: number;
  replayMs: number;
}

/**
 * The per-customer read models (journey map, portraits, churn-risk flags, follow-ups, customer
 * value and search) as they were at a past moment, rebuilt by replaying the log up to it
 * (RecordedUntil) into a scratch SQLite file, then read by the same queries as today's. Exact by
 * construction, but it costs a replay of the log up to `asOf` (seconds for hundreds of thousands
 * of events), so the last few are kept (a dashboard asks the same moment again and again); the
 * metrics have a fast path of their own (metrics-as-of.ts). Scratch files live in the system's
 * temp directory and are removed when dropped from the cache and on close.
 */
export class AsOfReplays {
  private readonly cache = new Map<string, Promise<Replay>>();
  private readonly dropping = new Set<Promise<Replay>>();

  constructor(
    private readonly store: EventStore,
    private readonly timeZone: string,
    private readonly personal?: SearchablePersonalData,
    private readonly keep = 2,
  ) {}

  private projections(log: EventStore): Projection[] {
    return [
      new JourneyMapProjection(log),
      new CxCutsProjection(this.timeZone),
      new ChurnRiskProjection(),
      new FollowUpsProjection(),
      new CustomerValueProjection(),
      ...(this.personal ? [new CustomerSearchProjection(this.personal)] : []),
    ];
  }

  /** The read models as of `asOf`, and how they were made. */
  async at(asOf: Date): Promise<{ reader: SqlExecutor; statement: ReplayStatement }> {
    const key = asOf.toISOString();
    let replay = this.cache.get(key);
    const cached = replay !== undefined;
    if (!replay) {
      replay = this.replay(asOf);
      this.cache.set(key, replay);
      replay.catch(() => this.cache.delete(key));
      await this.evict();
    } else {
      // most recently used last
      this.cache.delete(key);
      this.cache.set(key, replay);
    }
    const made = await replay;
    return { reader: made.db.reader, statement: { asOf: key, path: 'replay', eventsReplayed: made.eventsReplayed, replayMs: cached ? 0 : made.replayMs } };
  }

  private async replay(asOf: Date): Promise<Replay> {
    const started = Date.now();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-as-of-')), 'read-models.db');
    const db = SqliteReadModelDatabase.open(file);
    try {
      const log = new RecordedUntil(this.store, asOf);
      await new Projector(log, db, this.projections(log)).catchUp();
      return { db, file, eventsReplayed: log.eventsRead, replayMs: Date.now() - started };
    } catch (error) {
      await db.close();
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      throw error;
    }
  }

  private async evict(): Promise<void> {
    while (this.cache.size > this.keep) {
      const [key, oldest] = this.cache.entries().next().value as [string, Promise<Replay>];
      this.cache.delete(key);
      // a read that was given it a moment ago may still be running: drop it a minute later
      const timer = setTimeout(
        () =>
          void oldest.then(
            (r) => this.drop(r),
            () => undefined,
          ),
        60_000,
      );
      timer.unref();
      this.dropping.add(oldest);
    }
  }

  private async drop(replay: Replay): Promise<void> {
    if (!fs.existsSync(replay.file)) return;
    await replay.db.close();
    fs.rmSync(path.dirname(replay.file), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    const all = [...this.cache.values(), ...this.dropping];
    this.cache.clear();
    this.dropping.clear();
    for (const replay of all)
      await replay.then(
        (r) => this.drop(r),
        () => undefined,
      );
  }
}
