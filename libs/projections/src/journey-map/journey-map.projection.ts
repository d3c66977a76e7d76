import type { EventStore } from '@journeyline/event-store';
import { BatchedProjection, type ProjectionBatch } from '../runtime/projection';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';
import { JOURNEY_DAY_INDEXES, JOURNEY_DAY_TABLE_NAMES, journeyDaysSql } from './journey-days';
import { FLUSH_CHUNK, JourneyMapBatch, type JourneyMapMemory } from './journey-map.batch';
import { FACT_TYPES } from './journey-summary';

/**
 * The journey map: per person (a customer with everyone merged into them: person-graph.ts) a summary row (current stage, portrait, churn status, open
 * tickets, last feedback: what the customer list filters on), the first time each stage was
 * reached (the funnel), churn / reactivation times (retention), the touchpoints they visited;
 * and across customers, visits per touchpoint, stage and channel and the feedback comments per
 * touchpoint (the dashboard). The journey itself is read from the customer's stream, not copied
 * here. Idempotent: a customer row remembers the last position folded into it, and nothing of a
 * customer's events at or before it is written again.
 */
export class JourneyMapProjection extends BatchedProjection {
  readonly name = 'journey-map';
  readonly eventTypes = FACT_TYPES;
  /** 4: rows per person (merges, jm_merges), facts ordered by log position; 5: the funnel and retention day buckets (journey-days.ts) in local days of the zone. */
  readonly version: string;
  /** jm_facts: the facts table of version 1. */
  protected override readonly retiredTables = ['jm_facts'];
  readonly tables = [
    'jm_customers',
    'jm_stage_reached',
    'jm_touchpoints',
    'jm_lifecycle',
    'jm_touchpoint_stages',
    'jm_comments',
    'jm_merges',
    ...JOURNEY_DAY_TABLE_NAMES,
  ];
  /** The customer list's filters and sorts, the funnel, retention and the comments: the writes go by primary key only. */
  readonly queryIndexes = [
    'CREATE INDEX IF NOT EXISTS jm_customers_last_seen ON jm_customers (last_seen_at, customer_id)',
    'CREATE INDEX IF NOT EXISTS jm_customers_stage ON jm_customers (current_stage, last_seen_at)',
    'CREATE INDEX IF NOT EXISTS jm_stage_reached_at ON jm_stage_reached (stage, reached_at)',
    'CREATE INDEX IF NOT EXISTS jm_lifecycle_at ON jm_lifecycle (at)',
    'CREATE INDEX IF NOT EXISTS jm_comments_touchpoint ON jm_comments (touchpoint, at, position)',
    // a merge rewrites a person's rows: found by customer without a scan
    'CREATE INDEX IF NOT EXISTS jm_touchpoints_customer ON jm_touchpoints (customer_id)',
    'CREATE INDEX IF NOT EXISTS jm_comments_customer ON jm_comments (customer_id)',
    ...JOURNEY_DAY_INDEXES,
  ];

  /**
   * `store` gives the customer's stream back when a late event makes the summary refold it; the
   * funnel and retention buckets are local days of `timeZone`.
   */
  constructor(
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly timeZone: string,
    /** Persons a step of a flush writes together (default FLUSH_CHUNK; tests make it small). */
    private readonly flushChunk = FLUSH_CHUNK,
    /** When a transaction holds enough heap to end (default: this thread's V8 heap, JOURNEY_MAP_HEAP_BUDGET of growth; tests give their own). */
    private readonly memory?: JourneyMapMemory,
  ) {
    super();
    this.version = `5:${timeZone}`;
  }

  async setup(tx: SqlExecutor): Promise<void> {
    const clustered = clusteredByKey(tx);
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS jm_customers (
        customer_id TEXT PRIMARY KEY,
        current_stage TEXT,
        current_stage_at BIGINT,
        first_seen_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        fact_count INTEGER NOT NULL,
        open_tickets INTEGER NOT NULL,
        first_purchase_at BIGINT,
        churned INTEGER NOT NULL,
        churned_at BIGINT,
        segment TEXT,
        region TEXT,
        acquisition_channel TEXT,
        churn_risk INTEGER NOT NULL,
        last_nps INTEGER,
        last_position BIGINT NOT NULL,
        summary TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS jm_stage_reached (
        customer_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        reached_at BIGINT NOT NULL,
        PRIMARY KEY (customer_id, stage)
      )${clustered};
      CREATE TABLE IF NOT EXISTS jm_touchpoints (
        touchpoint TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        PRIMARY KEY (touchpoint, customer_id)
      )${clustered};
      CREATE TABLE IF NOT EXISTS jm_lifecycle (
        customer_id TEXT NOT NULL,
        position BIGINT NOT NULL,
        at BIGINT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (customer_id, position)
      )${clustered};
      CREATE TABLE IF NOT EXISTS jm_touchpoint_stages (
        touchpoint TEXT NOT NULL,
        stage TEXT NOT NULL,
        channel TEXT NOT NULL,
        visits BIGINT NOT NULL,
        PRIMARY KEY (touchpoint, stage, channel)
      )${clustered};
      CREATE TABLE IF NOT EXISTS jm_merges (
        from_id TEXT PRIMARY KEY,
        into_id TEXT NOT NULL,
        position BIGINT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS jm_merges_into ON jm_merges (into_id);
      CREATE TABLE IF NOT EXISTS jm_comments (
        position BIGINT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        touchpoint TEXT NOT NULL,
        at BIGINT NOT NULL,
        occurred_at TEXT NOT NULL,
        kind TEXT NOT NULL,
        score TEXT NOT NULL,
        scale TEXT NOT NULL,
        stage TEXT,
        channel TEXT,
        comment TEXT NOT NULL
      )${clustered};
      ${journeyDaysSql(clustered, tx.dialect)}
    `);
  }

  begin(tx: SqlExecutor): ProjectionBatch {
    return new JourneyMapBatch(tx, this.store, this.timeZone, this.flushChunk, this.memory);
  }
}
