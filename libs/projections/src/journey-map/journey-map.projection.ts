import type { StoredEvent } from '@journeyline/event-store';
import { STAGES, type JourneyEvent } from '@journeyline/journey';
import type { Projection } from '../runtime/projection';
import { insertRows, selectByKeys } from '../runtime/bulk-write';
import type { SqlExecutor } from '../runtime/sql-executor';
import { customerOf, emptySummary, extendsFold, FACT_TYPES, foldFact, refold, type Fact, type JourneySummary } from './journey-summary';

/**
 * The journey map: per customer, the facts of their journey (for the journey view), a summary row
 * (current stage, portrait, churn status, open tickets, last feedback: what the customer list
 * filters on), the first time each stage was reached (the funnel) and churn / reactivation times
 * (retention). Idempotent: a customer row remembers the last position folded into it.
 */
export class JourneyMapProjection implements Projection {
  readonly name = 'journey-map';
  readonly version = '1';
  readonly tables = ['jm_customers', 'jm_facts', 'jm_stage_reached', 'jm_touchpoints', 'jm_lifecycle'] as const;

  async setup(tx: SqlExecutor): Promise<void> {
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
      CREATE INDEX IF NOT EXISTS jm_customers_last_seen ON jm_customers (last_seen_at, customer_id);
      CREATE INDEX IF NOT EXISTS jm_customers_stage ON jm_customers (current_stage, last_seen_at);
      CREATE TABLE IF NOT EXISTS jm_facts (
        customer_id TEXT NOT NULL,
        position BIGINT NOT NULL,
        revision INTEGER NOT NULL,
        event_id TEXT NOT NULL,
        type TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (customer_id, position)
      );
      CREATE TABLE IF NOT EXISTS jm_stage_reached (
        customer_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        reached_at BIGINT NOT NULL,
        PRIMARY KEY (customer_id, stage)
      );
      CREATE INDEX IF NOT EXISTS jm_stage_reached_at ON jm_stage_reached (stage, reached_at);
      CREATE TABLE IF NOT EXISTS jm_touchpoints (
        touchpoint TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        PRIMARY KEY (touchpoint, customer_id)
      );
      CREATE TABLE IF NOT EXISTS jm_lifecycle (
        customer_id TEXT NOT NULL,
        position BIGINT NOT NULL,
        at BIGINT NOT NULL,
        kind TEXT NOT NULL,
        PRIMARY KEY (customer_id, position)
      );
      CREATE INDEX IF NOT EXISTS jm_lifecycle_at ON jm_lifecycle (at);
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  async apply(events: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
    const byCustomer = new Map<string, StoredEvent[]>();
    for (const event of events) {
      if (!FACT_TYPES.has(event.type)) continue;
      const customerId = customerOf(event.streamId);
      if (customerId === null) continue;
      let list = byCustomer.get(customerId);
      if (!list) byCustomer.set(customerId, (list = []));
      list.push(event);
    }
    if (byCustomer.size === 0) return;
    const rows = await selectByKeys<{ customer_id: string; summary: string; last_position: number }>(
      tx, (keys) => `SELECT customer_id, summary, last_position FROM jm_customers WHERE customer_id IN (${keys})`, [...byCustomer.keys()],
    );
    const known = new Map(rows.map((r) => [r.customer_id, r]));
    const writes: Writes = { facts: [], touchpoints: [], lifecycle: [], reached: [], customers: [] };
    const late: string[] = [];
    for (const [customerId, customerEvents] of byCustomer) {
      const row = known.get(customerId);
      const lastPosition = row ? Number(row.last_position) : 0;
      const fresh = customerEvents.filter((e) => e.position > lastPosition);
      if (fresh.length === 0) continue;
      const summary: JourneySummary = row ? JSON.parse(row.summary) : emptySummary();
      const reachedBefore = { ...summary.stageReached };
      let isLate = false;
      for (const event of fresh) {
        writes.facts.push([customerId, event.position, event.revision, event.eventId, event.type, event.occurredAt, event.recordedAt, JSON.stringify(event.data)]);
        if (event.type === 'TouchpointVisited') writes.touchpoints.push([String(event.data.touchpoint), customerId]);
        if (event.type === 'CustomerChurned' || event.type === 'CustomerReactivated') {
          writes.lifecycle.push([customerId, event.position, Date.parse(event.occurredAt), event.type === 'CustomerChurned' ? 'churn' : 'reactivate']);
        }
        const fact: Fact = { event: event as unknown as JourneyEvent, revision: event.revision };
        if (isLate) continue;
        if (extendsFold(summary, fact)) foldFact(summary, fact);
        else isLate = true;
      }
      const position = fresh[fresh.length - 1].position;
      if (isLate) {
        late.push(customerId);
        writes.customers.push({ customerId, summary: null, position });
        continue;
      }
      for (const stage of STAGES) {
        const at = summary.stageReached[stage];
        if (at !== undefined && reachedBefore[stage] !== at) writes.reached.push([customerId, stage, at]);
      }
      writes.customers.push({ customerId, summary, position });
    }
    await this.write(tx, writes, late);
  }

  /** Facts first (a late customer is refolded from them), then the summaries and the funnel rows. */
  private async write(tx: SqlExecutor, writes: Writes, late: string[]): Promise<void> {
    await insertRows(tx, 'INSERT INTO jm_facts (customer_id, position, revision, event_id, type, occurred_at, recorded_at, data)', writes.facts, 'ON CONFLICT DO NOTHING');
    await insertRows(tx, 'INSERT INTO jm_touchpoints (touchpoint, customer_id)', uniqueRows(writes.touchpoints), 'ON CONFLICT DO NOTHING');
    await insertRows(tx, 'INSERT INTO jm_lifecycle (customer_id, position, at, kind)', writes.lifecycle, 'ON CONFLICT DO NOTHING');
    for (const customerId of late) {
      const summary = refold(await this.facts(tx, customerId));
      await tx.run('DELETE FROM jm_stage_reached WHERE customer_id = ?', [customerId]);
      for (const stage of STAGES) {
        const at = summary.stageReached[stage];
        if (at !== undefined) writes.reached.push([customerId, stage, at]);
      }
      writes.customers.find((c) => c.customerId === customerId)!.summary = summary;
    }
    await insertRows(tx, 'INSERT INTO jm_stage_reached (customer_id, stage, reached_at)', writes.reached, 'ON CONFLICT (customer_id, stage) DO UPDATE SET reached_at = excluded.reached_at');
    await insertRows(tx, CUSTOMER_INSERT, writes.customers.map((c) => customerRow(c.customerId, c.summary!, c.position)), CUSTOMER_UPSERT);
  }

  private async facts(tx: SqlExecutor, customerId: string): Promise<Fact[]> {
    const rows = await tx.all<{ revision: number; event_id: string; type: string; occurred_at: string; data: string }>(
      'SELECT revision, event_id, type, occurred_at, data FROM jm_facts WHERE customer_id = ? ORDER BY position',
      [customerId],
    );
    return rows.map((r) => ({ revision: Number(r.revision), event: { type: r.type, eventId: r.event_id, occurredAt: r.occurred_at, data: JSON.parse(r.data) } as JourneyEvent }));
  }
}

interface Writes {
  facts: unknown[][];
  touchpoints: [string, string][];
  lifecycle: unknown[][];
  reached: unknown[][];
  customers: { customerId: string; summary: JourneySummary | null; position: number }[];
}

function uniqueRows(rows: [string, string][]): [string, string][] {
  return [...new Map(rows.map((r) => [`${r[0]}\u0000${r[1]}`, r])).values()];
}

const CUSTOMER_INSERT = `INSERT INTO jm_customers (customer_id, current_stage, current_stage_at, first_seen_at, last_seen_at, fact_count, open_tickets, first_purchase_at,
  churned, churned_at, segment, region, acquisition_channel, churn_risk, last_nps, last_position, summary)`;
const CUSTOMER_UPSERT = `ON CONFLICT (customer_id) DO UPDATE SET current_stage = excluded.current_stage, current_stage_at = excluded.current_stage_at,
  first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, fact_count = excluded.fact_count, open_tickets = excluded.open_tickets,
  first_purchase_at = excluded.first_purchase_at, churned = excluded.churned, churned_at = excluded.churned_at, segment = excluded.segment,
  region = excluded.region, acquisition_channel = excluded.acquisition_channel, churn_risk = excluded.churn_risk, last_nps = excluded.last_nps,
  last_position = excluded.last_position, summary = excluded.summary`;

function customerRow(customerId: string, s: JourneySummary, position: number): unknown[] {
  return [
    customerId, s.currentStage, s.currentStageAt, s.firstSeenAt, s.lastSeenAt, s.factCount, s.openTickets, s.firstPurchaseAt, s.churned ? 1 : 0, s.churnedAt,
    s.profile.segment ?? null, s.profile.region ?? null, s.profile.acquisitionChannel ?? null, Object.keys(s.churnRisks).length > 0 ? 1 : 0,
    s.lastNps?.score ?? null, position, JSON.stringify(s),
  ];
}
