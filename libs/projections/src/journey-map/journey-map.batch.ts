import type { EventStore } from '@journeyline/event-store';
import { asJourneyEvent, customerStreamId, STAGES, type JourneyEvent, type Stage } from '@journeyline/journey';
import { insertRows, selectByKeys } from '../runtime/bulk-write';
import type { ProjectedEvent, ProjectionBatch } from '../runtime/projection';
import type { SqlExecutor } from '../runtime/sql-executor';
import {
  customerOf,
  emptySummary,
  extendsFold,
  FACT_TYPES,
  foldFact,
  foldsInAnyOrder,
  foldUnordered,
  refold,
  serializeSummary,
  type Fact,
  type JourneySummary,
} from './journey-summary';

/** A customer as this transaction knows them: loaded once, folded in memory, written once. */
interface CustomerEntry {
  summary: JourneySummary;
  /** The last position folded (or, once late, seen): events at or before it are not applied again. */
  lastPosition: number;
  /** `stageReached` as stored when loaded: only changed stages are written. */
  storedReached: Partial<Record<Stage, number>>;
  changed: boolean;
  /** Whether `jm_customers` has a row for them (else a plain INSERT, cheaper than an upsert). */
  stored: boolean;
  /** An event older than the fold arrived: the summary is refolded from the stream at flush. */
  late: boolean;
}

/**
 * One transaction of the journey map. Customers are read from `jm_customers` the first time the
 * transaction meets them and then folded in memory, so a customer with many events in a long
 * rebuild transaction is read and written once, not once per read of the log. Append-only rows
 * (touchpoints visited, lifecycle, visit counts, comments) are gathered and written in `flush`.
 */
export class JourneyMapBatch implements ProjectionBatch {
  private readonly customers = new Map<string, CustomerEntry>();
  private readonly touchpoints = new Map<string, [string, string]>();
  private readonly visits = new Map<string, [string, string, string, number]>();
  private readonly lifecycle: unknown[][] = [];
  private readonly comments: unknown[][] = [];

  /** Customers held in memory before the transaction should end (about 2.5 KiB each with what they bring). */
  static readonly MAX_CUSTOMERS = 30_000;

  get full(): boolean {
    return this.customers.size >= JourneyMapBatch.MAX_CUSTOMERS;
  }

  constructor(
    private readonly tx: SqlExecutor,
    private readonly store: Pick<EventStore, 'readStream'>,
  ) {}

  async apply(events: readonly ProjectedEvent[]): Promise<void> {
    const byCustomer = new Map<string, ProjectedEvent[]>();
    for (const event of events) {
      if (!FACT_TYPES.has(event.type)) continue;
      const customerId = customerOf(event.streamId);
      if (customerId === null) continue;
      let list = byCustomer.get(customerId);
      if (!list) byCustomer.set(customerId, (list = []));
      list.push(event);
    }
    await this.load([...byCustomer.keys()].filter((id) => !this.customers.has(id)));
    for (const [customerId, customerEvents] of byCustomer) {
      const entry = this.customers.get(customerId)!;
      for (const event of customerEvents) {
        if (event.position <= entry.lastPosition) continue;
        this.gather(customerId, event);
        entry.lastPosition = event.position;
        entry.changed = true;
        if (entry.late) continue;
        const fact = { event, revision: event.revision };
        if (extendsFold(entry.summary, fact)) foldFact(entry.summary, fact);
        else if (foldsInAnyOrder(fact)) foldUnordered(entry.summary, fact);
        else entry.late = true;
      }
    }
  }

  async flush(): Promise<void> {
    const reached: unknown[][] = [];
    const inserted: unknown[][] = [];
    const updated: unknown[][] = [];
    for (const customerId of [...this.customers.keys()].sort()) {
      const entry = this.customers.get(customerId)!;
      if (!entry.changed) continue;
      if (entry.late) {
        entry.summary = await this.refold(customerId, entry.lastPosition);
        await this.tx.run('DELETE FROM jm_stage_reached WHERE customer_id = ?', [customerId]);
        entry.storedReached = {};
      }
      for (const stage of STAGES) {
        const at = entry.summary.stageReached[stage];
        if (at !== undefined && entry.storedReached[stage] !== at) reached.push([customerId, stage, at]);
      }
      (entry.stored ? updated : inserted).push(customerRow(customerId, entry.summary, entry.lastPosition));
    }
    // Rows go in key order: neighbouring keys share B-tree pages, so each page is written once.
    await insertRows(
      this.tx,
      'INSERT INTO jm_touchpoints (touchpoint, customer_id)',
      [...this.touchpoints.keys()].sort().map((k) => this.touchpoints.get(k)!),
      'ON CONFLICT DO NOTHING',
    );
    await insertRows(this.tx, 'INSERT INTO jm_lifecycle (customer_id, position, at, kind)', this.lifecycle, 'ON CONFLICT DO NOTHING');
    await insertRows(
      this.tx,
      'INSERT INTO jm_touchpoint_stages (touchpoint, stage, channel, visits)',
      [...this.visits.values()],
      'ON CONFLICT (touchpoint, stage, channel) DO UPDATE SET visits = jm_touchpoint_stages.visits + excluded.visits',
    );
    await insertRows(
      this.tx,
      'INSERT INTO jm_comments (position, customer_id, event_id, touchpoint, at, occurred_at, kind, score, scale, stage, channel, comment)',
      this.comments,
      'ON CONFLICT DO NOTHING',
    );
    await insertRows(
      this.tx,
      'INSERT INTO jm_stage_reached (customer_id, stage, reached_at)',
      reached,
      'ON CONFLICT (customer_id, stage) DO UPDATE SET reached_at = excluded.reached_at',
    );
    await insertRows(this.tx, CUSTOMER_INSERT, inserted);
    await insertRows(this.tx, CUSTOMER_INSERT, updated, CUSTOMER_UPSERT);
  }

  private async load(customerIds: string[]): Promise<void> {
    if (customerIds.length === 0) return;
    const rows = await selectByKeys<{ customer_id: string; summary: string; last_position: number }>(
      this.tx,
      (keys) => `SELECT customer_id, summary, last_position FROM jm_customers WHERE customer_id IN (${keys})`,
      customerIds,
    );
    const stored = new Map(rows.map((r) => [r.customer_id, r]));
    for (const customerId of customerIds) {
      const row = stored.get(customerId);
      const summary: JourneySummary = row ? JSON.parse(row.summary) : emptySummary();
      this.customers.set(customerId, {
        summary,
        lastPosition: row ? Number(row.last_position) : 0,
        storedReached: { ...summary.stageReached },
        changed: false,
        stored: row !== undefined,
        late: false,
      });
    }
  }

  /** The rows beside the summary that each fresh event adds. */
  private gather(customerId: string, event: ProjectedEvent): void {
    switch (event.type) {
      case 'TouchpointVisited': {
        const { touchpoint, stage, channel } = event.data;
        this.touchpoints.set(`${touchpoint}\u0000${customerId}`, [touchpoint, customerId]);
        const key = `${touchpoint}\u0000${stage}\u0000${channel ?? ''}`;
        const row = this.visits.get(key);
        if (row) row[3] += 1;
        else this.visits.set(key, [touchpoint, stage, channel ?? '', 1]);
        break;
      }
      case 'CustomerChurned':
      case 'CustomerReactivated':
        this.lifecycle.push([customerId, event.position, Date.parse(event.occurredAt), event.type === 'CustomerChurned' ? 'churn' : 'reactivate']);
        break;
      case 'FeedbackGiven': {
        const data = event.data;
        if (typeof data.comment !== 'string' || data.comment.trim() === '' || !data.touchpoint) break;
        this.comments.push([
          event.position,
          customerId,
          event.eventId,
          data.touchpoint,
          Date.parse(event.occurredAt),
          event.occurredAt,
          data.kind,
          JSON.stringify(data.score),
          data.scale,
          data.stage ?? null,
          data.channel ?? null,
          data.comment,
        ]);
        break;
      }
    }
  }

  /**
   * The summary folded from scratch from the customer's stream, up to what this projection has
   * seen. Malformed events are left out: the projector parked them when they arrived.
   */
  private async refold(customerId: string, upTo: number): Promise<JourneySummary> {
    const facts: Fact[] = [];
    for (const stored of await this.store.readStream(customerStreamId(customerId))) {
      if (stored.position > upTo || !FACT_TYPES.has(stored.type)) continue;
      const checked = asJourneyEvent(stored);
      if (checked.ok) facts.push({ event: checked.event, revision: stored.revision });
    }
    return refold(facts);
  }
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
    customerId,
    s.currentStage,
    s.currentStageAt,
    s.firstSeenAt,
    s.lastSeenAt,
    s.factCount,
    s.openTickets,
    s.firstPurchaseAt,
    s.churned ? 1 : 0,
    s.churnedAt,
    s.profile.segment ?? null,
    s.profile.region ?? null,
    s.profile.acquisitionChannel ?? null,
    Object.keys(s.churnRisks).length > 0 ? 1 : 0,
    s.lastNps?.score ?? null,
    position,
    serializeSummary(s),
  ];
}
