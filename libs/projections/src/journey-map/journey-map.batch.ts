import { getHeapStatistics } from 'node:v8';
import type { EventStore } from '@journeyline/event-store';
import { asJourneyEvent, customerStreamId, STAGES, type JourneyEvent, type Stage } from '@journeyline/journey';
import { insertRows, selectByKeys } from '../runtime/bulk-write';
import type { ProjectedEvent, ProjectionBatch } from '../runtime/projection';
import type { SqlExecutor } from '../runtime/sql-executor';
import { JourneyDaysChanges } from './journey-days';
import { PersonGraph } from './person-graph';
import { emptyPlaces, personDaysOf, type PersonPlaces } from './person-days';
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

/** A person as this transaction knows them: loaded once, folded in memory, written once. */
interface PersonEntry {
  summary: JourneySummary;
  /** The last position folded (or, once late, seen): events at or before it are not applied again. */
  lastPosition: number;
  /** `stageReached` as stored when loaded: only changed stages are written. */
  storedReached: Partial<Record<Stage, number>>;
  changed: boolean;
  /** Whether `jm_customers` has a row for them (else a plain INSERT, cheaper than an upsert). */
  stored: boolean;
  /** An event older than the fold arrived: the summary is refolded from the streams at flush. */
  late: boolean;
}

type Row = unknown[];

/**
 * Changed persons a step of the flush reads and writes together (their stored days, their rows):
 * the rows of a transaction's 20,000 persons all at once took about 100 MB of heap at the flush,
 * the rebuild's peak.
 */
export const FLUSH_CHUNK = 2000;

/**
 * How much heap a transaction of the journey map may grow by before it ends, besides the count of
 * persons. Persons late in a long log bring more (their days, places and lifecycle): at 300,000
 * customers the rebuild's last transactions of 20,000 persons took the heap from 20 to about 260
 * MiB, the rebuild's peak RSS. The projector collects the garbage after a transaction that ended
 * full, so the growth counts this transaction's own.
 */
export interface JourneyMapMemory {
  /** The heap in use now (V8's used_heap_size of this thread's isolate, garbage not yet collected included). */
  heapInUse(): number;
  /** Bytes of growth after which the transaction ends. */
  heapBudget: number;
  /** Persons a transaction holds before the heap is looked at, so that each makes some progress whatever the heap holds. */
  minPersons: number;
}

/** The default budget: 96 MiB of growth (see JourneyMapMemory). */
export const JOURNEY_MAP_HEAP_BUDGET = 96 * 2 ** 20;

const HEAP_OF_THIS_THREAD: JourneyMapMemory = {
  heapInUse: () => getHeapStatistics().used_heap_size,
  heapBudget: JOURNEY_MAP_HEAP_BUDGET,
  minPersons: 1000,
};

/**
 * One transaction of the journey map. Rows are per person: a customer, with every customer merged
 * into them (person-graph.ts); a merged customer has no row of their own, so the customer list,
 * the funnel and retention count one person. A person is read from `jm_customers` the first time
 * the transaction meets them and then folded in memory, so a person with many events in a long
 * rebuild transaction is read and written once. Append-only rows (touchpoints visited, lifecycle,
 * comments, visit counts) are gathered and written in `flush`.
 *
 * A merge or an unmerge regroups: the persons it touches are refolded at flush from all their
 * members' streams, their rows written anew, and a customer who stopped being a person loses
 * theirs. Facts are ordered by (occurredAt, log position), so a person's summary does not depend
 * on how their customers' streams were merged, unmerged or never touched.
 */
export class JourneyMapBatch implements ProjectionBatch {
  private readonly persons = new Map<string, PersonEntry>();
  private readonly graph: PersonGraph;
  private readonly touchpoints = new Map<string, [string, string]>();
  private readonly visits = new Map<string, [string, string, string, number]>();
  private readonly lifecycle: Row[] = [];
  private readonly comments: Row[] = [];
  /** [person, eventId] of answers replaced by a later answer through the same survey link. */
  private readonly replacedComments: [string, string][] = [];
  /** Persons to refold from their members' streams at flush (a merge or unmerge touched them). */
  private readonly regroup = new Set<string>();
  /** Customers that were persons during this transaction: at flush, those that are not any more lose their rows. */
  private readonly formerPersons = new Set<string>();
  /** Each person's churns, reactivations, touchpoints and channels met in this transaction (all of them for a regrouped person): their days (person-days.ts). */
  private readonly places = new Map<string, PersonPlaces>();
  /** The highest position this transaction has seen: what a refold may read up to. */
  private seenUpTo = 0;

  /** Persons held in memory before the transaction should end (about 8 KiB each early in a log, with what they bring, their days and bucket changes included). */
  static readonly MAX_CUSTOMERS = 20_000;

  /** The heap this thread used when the transaction began (see JourneyMapMemory). */
  private readonly heapAtStart: number;

  get full(): boolean {
    if (this.persons.size >= JourneyMapBatch.MAX_CUSTOMERS) return true;
    return this.persons.size >= this.memory.minPersons && this.memory.heapInUse() - this.heapAtStart >= this.memory.heapBudget;
  }

  constructor(
    private readonly tx: SqlExecutor,
    private readonly store: Pick<EventStore, 'readStream'>,
    private readonly timeZone: string,
    private readonly flushChunk = FLUSH_CHUNK,
    private readonly memory: JourneyMapMemory = HEAP_OF_THIS_THREAD,
  ) {
    this.graph = new PersonGraph(tx);
    this.heapAtStart = memory.heapInUse();
  }

  async apply(events: readonly ProjectedEvent[]): Promise<void> {
    const relevant: { event: ProjectedEvent; customerId: string }[] = [];
    const ids = new Set<string>();
    for (const event of events) {
      if (!FACT_TYPES.has(event.type)) continue;
      const customerId = customerOf(event.streamId);
      if (customerId === null) continue;
      relevant.push({ event, customerId });
      ids.add(customerId);
      if (event.type === 'CustomerMerged' || event.type === 'CustomerUnmerged') ids.add(event.data.from);
    }
    await this.graph.load(ids);
    await this.load([...new Set([...ids].map((id) => this.graph.personOf(id)))].filter((id) => !this.persons.has(id)));
    for (const { event, customerId } of relevant) {
      this.seenUpTo = Math.max(this.seenUpTo, event.position);
      if (event.type === 'CustomerMerged' || event.type === 'CustomerUnmerged') {
        await this.relink(event.type, event.data.from, customerId, event.position);
        continue;
      }
      const person = this.graph.personOf(customerId);
      const entry = this.persons.get(person) ?? (await this.loadOne(person));
      if (event.position <= entry.lastPosition) continue;
      this.gather(person, event);
      entry.lastPosition = event.position;
      entry.changed = true;
      if (entry.late || this.regroup.has(person)) continue;
      const fact = { event, revision: event.position };
      if (extendsFold(entry.summary, fact)) foldFact(entry.summary, fact);
      else if (foldsInAnyOrder(fact)) foldUnordered(entry.summary, fact);
      else entry.late = true;
    }
  }

  /** A merge or unmerge: the link changes (when it is one the graph takes), and the persons on both sides regroup. */
  private async relink(type: 'CustomerMerged' | 'CustomerUnmerged', from: string, into: string, position: number): Promise<void> {
    await this.graph.load([from, into]);
    const before = [this.graph.personOf(from), this.graph.personOf(into)];
    const changed = type === 'CustomerMerged' ? await this.graph.merge(from, into, position) : await this.graph.unmerge(from, into);
    if (!changed) return;
    const after = [this.graph.personOf(from), this.graph.personOf(into)];
    for (const person of [...before, ...after]) this.formerPersons.add(person);
    for (const person of after) {
      const entry = this.persons.get(person) ?? (await this.loadOne(person));
      entry.changed = true;
      this.regroup.add(person);
    }
  }

  async flush(): Promise<void> {
    // Customers that stopped being persons lose their rows; the persons a merge touched are refolded whole.
    const dissolved = [...this.formerPersons].filter((id) => this.graph.personOf(id) !== id);
    for (const id of dissolved) {
      await this.deletePersonRows(id);
      await this.tx.run('DELETE FROM jm_customers WHERE customer_id = ?', [id]);
      this.persons.delete(id);
    }
    const regrouped = new Set([...this.regroup].filter((id) => this.graph.personOf(id) === id));
    const personRows = { touchpoints: [] as Row[], lifecycle: [] as Row[], comments: [] as Row[] };
    for (const person of [...regrouped].sort()) {
      const entry = this.persons.get(person)!;
      const members = await this.graph.members(person);
      const facts = await this.factsOf(members, this.seenUpTo);
      entry.summary = refold(facts);
      entry.lastPosition = facts.reduce((max, f) => Math.max(max, f.revision), entry.lastPosition);
      entry.late = false;
      for (const id of members) await this.deletePersonRows(id);
      entry.storedReached = {};
      this.places.set(person, emptyPlaces());
      for (const { event } of facts) this.personRowsOf(person, event, personRows);
    }
    const changed = [...this.persons.keys()].filter((person) => this.persons.get(person)!.changed).sort();
    const days = new JourneyDaysChanges(this.timeZone);
    const storedDays = await JourneyDaysChanges.load(this.tx, dissolved);
    for (const id of dissolved) days.change(id, storedDays.get(id) ?? null, null);
    // A chunk of persons at a time: their stored days and the rows they write are held for one chunk only.
    for (let start = 0; start < changed.length; start += this.flushChunk)
      await this.flushPersons(changed.slice(start, start + this.flushChunk), regrouped, days);
    // Rows gathered for a person who was regrouped or dissolved are already in (or out of) the refold's rows.
    const current = (person: unknown) => !regrouped.has(person as string) && this.graph.personOf(person as string) === person;
    // Rows go in key order: neighbouring keys share B-tree pages, so each page is written once.
    const touchpointRows = [...this.touchpoints.keys()]
      .sort()
      .map((k) => this.touchpoints.get(k)!)
      .filter((row) => current(row[1]));
    await insertRows(this.tx, 'INSERT INTO jm_touchpoints (touchpoint, customer_id)', [...touchpointRows, ...personRows.touchpoints], 'ON CONFLICT DO NOTHING');
    await insertRows(
      this.tx,
      'INSERT INTO jm_lifecycle (customer_id, position, at, kind)',
      [...this.lifecycle.filter((row) => current(row[0])), ...personRows.lifecycle],
      'ON CONFLICT DO NOTHING',
    );
    await insertRows(
      this.tx,
      'INSERT INTO jm_touchpoint_stages (touchpoint, stage, channel, visits)',
      [...this.visits.values()],
      'ON CONFLICT (touchpoint, stage, channel) DO UPDATE SET visits = jm_touchpoint_stages.visits + excluded.visits',
    );
    await insertRows(
      this.tx,
      'INSERT INTO jm_comments (position, customer_id, event_id, touchpoint, at, occurred_at, kind, score, scale, stage, channel, comment)',
      [...this.comments.filter((row) => current(row[1])), ...personRows.comments],
      'ON CONFLICT DO NOTHING',
    );
    for (const [person, eventId] of this.replacedComments)
      await this.tx.run('DELETE FROM jm_comments WHERE customer_id = ? AND event_id = ?', [person, eventId]);
    await days.write(this.tx);
  }

  /** Changed persons (in key order): their summaries refolded when late, their rows and their days' changes written. */
  private async flushPersons(persons: readonly string[], regrouped: ReadonlySet<string>, days: JourneyDaysChanges): Promise<void> {
    const storedDays = await JourneyDaysChanges.load(this.tx, persons);
    const reached: Row[] = [];
    const inserted: Row[] = [];
    const updated: Row[] = [];
    for (const person of persons) {
      const entry = this.persons.get(person)!;
      if (entry.late) {
        entry.summary = refold(await this.factsOf(await this.graph.members(person), entry.lastPosition));
        await this.tx.run('DELETE FROM jm_stage_reached WHERE customer_id = ?', [person]);
        entry.storedReached = {};
      }
      const stored = storedDays.get(person) ?? null;
      days.change(person, stored, personDaysOf(entry.summary, this.places.get(person) ?? emptyPlaces(), regrouped.has(person) ? null : stored?.days));
      if (entry.summary.factCount === 0) {
        // a person made of a merge alone (no fact of their own yet): no row until they have one
        if (entry.stored) await this.tx.run('DELETE FROM jm_customers WHERE customer_id = ?', [person]);
        entry.stored = false;
        continue;
      }
      for (const stage of STAGES) {
        const at = entry.summary.stageReached[stage];
        if (at !== undefined && entry.storedReached[stage] !== at) reached.push([person, stage, at]);
      }
      (entry.stored ? updated : inserted).push(customerRow(person, entry.summary, entry.lastPosition));
    }
    await insertRows(
      this.tx,
      'INSERT INTO jm_stage_reached (customer_id, stage, reached_at)',
      reached,
      'ON CONFLICT (customer_id, stage) DO UPDATE SET reached_at = excluded.reached_at',
    );
    await insertRows(this.tx, CUSTOMER_INSERT, inserted);
    await insertRows(this.tx, CUSTOMER_INSERT, updated, CUSTOMER_UPSERT);
    await days.writePersons(this.tx);
  }

  private async loadOne(person: string): Promise<PersonEntry> {
    await this.load([person]);
    return this.persons.get(person)!;
  }

  private async load(persons: string[]): Promise<void> {
    if (persons.length === 0) return;
    const rows = await selectByKeys<{ customer_id: string; summary: string; last_position: number }>(
      this.tx,
      (keys) => `SELECT customer_id, summary, last_position FROM jm_customers WHERE customer_id IN (${keys})`,
      persons,
    );
    const stored = new Map(rows.map((r) => [r.customer_id, r]));
    for (const person of persons) {
      const row = stored.get(person);
      const summary: JourneySummary = row ? JSON.parse(row.summary) : emptySummary();
      this.persons.set(person, {
        summary,
        lastPosition: row ? Number(row.last_position) : 0,
        storedReached: { ...summary.stageReached },
        changed: false,
        stored: row !== undefined,
        late: false,
      });
    }
  }

  /** The rows beside the summary that each fresh event adds: the person's own, and the visit counts. */
  private gather(person: string, event: ProjectedEvent): void {
    if (event.type === 'TouchpointVisited') {
      const { touchpoint, stage, channel } = event.data;
      const key = `${touchpoint}\u0000${stage}\u0000${channel ?? ''}`;
      const row = this.visits.get(key);
      if (row) row[3] += 1;
      else this.visits.set(key, [touchpoint, stage, channel ?? '', 1]);
    }
    this.personRowsOf(person, event, { touchpoints: null, lifecycle: this.lifecycle, comments: this.comments });
  }

  /** A person's own rows from one fact: the touchpoint visited, a churn or reactivation, a comment. */
  private personRowsOf(
    person: string,
    event: JourneyEvent & { position?: number },
    into: { touchpoints: Row[] | null; lifecycle: Row[]; comments: Row[] },
  ): void {
    const position = (event as ProjectedEvent).position;
    let places = this.places.get(person);
    if (!places) this.places.set(person, (places = emptyPlaces()));
    switch (event.type) {
      case 'TouchpointVisited': {
        places.touchpoints.add(event.data.touchpoint);
        if (event.data.channel) places.channels.add(event.data.channel);
        const row = [event.data.touchpoint, person];
        if (into.touchpoints) into.touchpoints.push(row);
        else this.touchpoints.set(`${event.data.touchpoint}\u0000${person}`, row as [string, string]);
        break;
      }
      case 'CustomerChurned':
      case 'CustomerReactivated': {
        const churn = event.type === 'CustomerChurned';
        into.lifecycle.push([person, position, Date.parse(event.occurredAt), churn ? 'churn' : 'reactivate']);
        places.lifecycle.push([Date.parse(event.occurredAt), position, churn ? 1 : 0]);
        break;
      }
      case 'FeedbackGiven': {
        const data = event.data;
        // a survey link's second answer within its window: the first one's comment is withdrawn
        if (data.replaces) this.replacedComments.push([person, data.replaces.eventId]);
        if (typeof data.comment !== 'string' || data.comment.trim() === '' || !data.touchpoint) break;
        into.comments.push([
          position,
          person,
          event.eventId,
          data.touchpoint,
          Date.parse(event.occurredAt),
          event.occurredAt,
          data.kind,
          // a comment has no score: null, and no scale
          data.kind === 'comment' ? 'null' : JSON.stringify(data.score),
          data.kind === 'comment' ? '' : data.scale,
          data.stage ?? null,
          data.channel ?? null,
          data.comment,
        ]);
        break;
      }
    }
  }

  private async deletePersonRows(customerId: string): Promise<void> {
    for (const table of ['jm_stage_reached', 'jm_touchpoints', 'jm_lifecycle', 'jm_comments']) {
      await this.tx.run(`DELETE FROM ${table} WHERE customer_id = ?`, [customerId]);
    }
  }

  /**
   * The facts of these customers' streams up to what this projection has seen, each ordered by
   * its log position. Malformed events are left out: the projector parked them when they arrived.
   */
  private async factsOf(customerIds: readonly string[], upTo: number): Promise<(Fact & { event: JourneyEvent & { position: number } })[]> {
    const facts: (Fact & { event: JourneyEvent & { position: number } })[] = [];
    for (const customerId of customerIds) {
      for (const stored of await this.store.readStream(customerStreamId(customerId))) {
        if (stored.position > upTo || !FACT_TYPES.has(stored.type)) continue;
        const checked = asJourneyEvent(stored);
        if (checked.ok) facts.push({ event: checked.event, revision: stored.position });
      }
    }
    return facts.sort((a, b) => a.revision - b.revision);
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
