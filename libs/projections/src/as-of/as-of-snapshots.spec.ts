/**
 * As-of reads from the snapshot ladder: a snapshot of the replayed read models plus the tail of
 * the log replayed equals a replay of the whole log up to asOf, table by table (generated logs
 * with late events and several snapshots, on SQLite and on a store whose recorded times do not
 * rise with the position); snapshots of other projection versions or another time zone are never
 * used; an erased customer's search tokens do not come back through a snapshot made before the
 * erasure; a half-written or corrupt snapshot is ignored and deleted. Real SQLite files throughout.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { SqliteEventStore, type EventStore, type ReadAllOptions, type ReadStreamOptions, type StoredEvent } from '@journeyline/event-store';
import { asJourneyEvent, customerStreamId, decideErasure, evolve, initialState, type CustomerCommand } from '@journeyline/journey';
import type { PersonalData } from '@journeyline/privacy';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { BatchRejectedError, recordCustomerEvents } from '@journeyline/recording';
import { customerSearch, customerSearchClause } from '../customer-search/customer-search.queries';
import type { SqlExecutor } from '../runtime/sql-executor';
import { AsOfReplays, customerReadModels, metricReadModels } from './as-of-replays';
import type { ReplayedReadModels } from './replay-step';
import type { AsOfSnapshotOptions } from './snapshot-builder';
import { SnapshotLadder } from './snapshot-ladder';

const ZONE = 'Asia/Ho_Chi_Minh';
const HOUR = 3_600_000;
const START = Date.parse('2026-11-01T00:00:00+07:00');
const TOUCHPOINTS = [
  { touchpoint: 'hotline', channel: 'phone', stage: 'use' },
  { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation' },
  { touchpoint: 'facebook:ads', channel: 'social', stage: 'awareness' },
];
const NAMES = ['Nguyễn Văn An', 'Trần Thị Bình', 'Lê Hoàng Cường', 'Phạm Minh Dũng'];

type Kind = 'visit' | 'nps' | 'csat' | 'ticket' | 'purchase' | 'profile' | 'churn' | 'reactivate' | 'merge';
interface Fact {
  kind: Kind;
  customer: number;
  other: number;
  /** Occurred this many hours after START: late ones occur long before they are recorded. */
  occurredHour: number;
  score: number;
  place: number;
}

const fact = fc.record({
  kind: fc.constantFrom<Kind>('visit', 'visit', 'nps', 'csat', 'ticket', 'purchase', 'profile', 'churn', 'reactivate', 'merge'),
  customer: fc.integer({ min: 0, max: 5 }),
  other: fc.integer({ min: 0, max: 5 }),
  occurredHour: fc.integer({ min: 0, max: 400 }),
  score: fc.integer({ min: 0, max: 10 }),
  place: fc.integer({ min: 0, max: 2 }),
});
/** Batches recorded `afterHours` after the previous one (0: the same moment). */
const history = fc.array(fc.record({ afterHours: fc.integer({ min: 0, max: 30 }), facts: fc.array(fact, { minLength: 1, maxLength: 6 }) }), {
  minLength: 3,
  maxLength: 12,
});

let n = 0;
function commandOf(f: Fact): CustomerCommand[] {
  const customerId = `kh-${f.customer}`;
  const occurredAt = new Date(START + f.occurredHour * HOUR).toISOString();
  const place = TOUCHPOINTS[f.place];
  const id = `e-${++n}`;
  const command = (type: string, data: object) => ({ type, eventId: id, customerId, occurredAt, data }) as CustomerCommand;
  switch (f.kind) {
    case 'visit':
      return [command('RecordTouchpointVisit', place)];
    case 'nps':
      return [
        command('RecordFeedback', { kind: 'nps', score: f.score, scale: '0-10', ...place, ...(f.score % 3 === 0 ? { comment: `Góp ý ${f.score}` } : {}) }),
      ];
    case 'csat':
      return [command('RecordFeedback', { kind: 'csat', score: 1 + (f.score % 5), scale: '1-5', ...place })];
    case 'ticket':
      return [
        command('OpenTicket', { ticketId: `t-${id}`, touchpoint: place.touchpoint, channel: place.channel }),
        {
          ...command('ResolveTicket', { ticketId: `t-${id}` }),
          eventId: `${id}-r`,
          occurredAt: new Date(START + (f.occurredHour + 1 + f.score) * HOUR).toISOString(),
        },
      ];
    case 'purchase':
      return [command('RecordPurchase', { orderId: id, amount: 100_000 * (1 + f.score), currency: 'VND' })];
    case 'profile':
      return [
        command('ProfileCustomer', { name: NAMES[f.score % NAMES.length], email: `kh${f.customer}@example.vn`, segment: f.score % 2 ? 'SME' : 'Enterprise' }),
      ];
    case 'churn':
      return [command('RecordChurn', { reason: 'giá' })];
    case 'reactivate':
      return [command('ReactivateCustomer', {})];
    case 'merge':
      return f.other === f.customer ? [] : [command('MergeCustomer', { from: `kh-${f.other}` })];
  }
}

/** Records the commands the journey rules accept (a generated churn before any purchase is refused: left out). */
async function record(w: World, commands: CustomerCommand[]): Promise<void> {
  for (let left = commands; left.length > 0;) {
    try {
      await recordCustomerEvents(w.store, left, { personal: w.personal });
      return;
    } catch (error) {
      if (!(error instanceof BatchRejectedError)) throw error;
      const refused = new Set(error.violations.map((v) => v.index));
      left = left.filter((_, i) => !refused.has(i));
    }
  }
}

/**
 * Every table of the read models, rows sorted: what two ways of building them must agree on. One
 * exception, the journey map's own bookkeeping of where it stands with a person (`last_position`,
 * and the summary's `lastAt` and `lastRevision`), which no query reads: around merges it depends
 * on the batch boundaries, snapshots or not (a projector applying one event per transaction and a
 * rebuild of the same log differ in the same way: a merge refused as a cycle counts in a refold's
 * last position, not in an incremental batch's; a person made of a merge alone keeps no row, so
 * its refold's lastAt is forgotten). Every other column and field is compared.
 */
async function tablesOf(reader: SqlExecutor): Promise<Record<string, string[]>> {
  const tables = await reader.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const rows = await reader.all<Record<string, unknown>>(`SELECT * FROM "${name}"`);
    out[name] = rows
      .map((row) => {
        if (name !== 'jm_customers') return JSON.stringify(row);
        const { lastAt: _at, lastRevision: _revision, ...summary } = JSON.parse(row.summary as string) as Record<string, unknown>;
        const { last_position: _position, ...columns } = row;
        return JSON.stringify({ ...columns, summary });
      })
      .sort();
  }
  return out;
}

/**
 * The same log, with recorded times that no longer rise with the position (each moved back by up
 * to three hours, by position), under a name other than sqlite: RecordedUntil then filters to the
 * head, as on PostgreSQL.
 */
class UnorderedRecordedTimes implements EventStore {
  readonly name = 'unordered';
  constructor(private readonly store: EventStore) {}
  private shift = (e: StoredEvent): StoredEvent => ({ ...e, recordedAt: new Date(Date.parse(e.recordedAt) - ((e.position * 7919) % 4) * HOUR).toISOString() });
  async readAll(options: ReadAllOptions) {
    return (await this.store.readAll(options)).map(this.shift);
  }
  async readStream(streamId: string, options?: ReadStreamOptions) {
    return (await this.store.readStream(streamId, options)).map(this.shift);
  }
  async findByEventIds(ids: string[]) {
    return new Map([...(await this.store.findByEventIds(ids))].map(([k, e]) => [k, this.shift(e)]));
  }
  streamRevision(streamId: string) {
    return this.store.streamRevision(streamId);
  }
  headPosition() {
    return this.store.headPosition();
  }
  health() {
    return this.store.health();
  }
  append(): never {
    throw new Error('read-only');
  }
  async close() {}
}

interface World {
  dir: string;
  store: SqliteEventStore;
  personal: PersonalData;
  setClock(at: number): void;
  done(): Promise<void>;
}

function world(): World {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-as-of-snapshots-'));
  let clock = START;
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'), { clock: () => new Date(clock) });
  const personal = localPersonalData(path.join(dir, 'journeyline.db'));
  return {
    dir,
    store,
    personal,
    setClock: (at) => (clock = at),
    done: async () => {
      await personal.vault.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const snapshotsIn = (w: World, everyEvents: number, settings = `timeZone=${ZONE}`, set = 'customers'): AsOfSnapshotOptions => ({
  dir: path.join(w.dir, 'as-of-snapshots', set),
  everyEvents,
  settings,
  erasures: w.personal,
  // one snapshot every `everyEvents`, none thinned (thinning and long logs have tests of their own)
  maxKept: 1000,
  onError: (error: unknown) => {
    throw error;
  },
});

/** Replays of the whole log: no moment kept, so none is ever started from or read again (every answer's path is 'replay'). */
const wholeReplays = (log: EventStore, readModels: ReplayedReadModels) => new AsOfReplays(log, readModels, { keep: 0 });

/** The read models as of `asOf` by both ways, with the snapshot way's statement. */
async function bothWays(full: AsOfReplays, laddered: AsOfReplays, asOf: Date) {
  const a = await full.at(asOf);
  const b = await laddered.at(asOf);
  try {
    return { replayed: await tablesOf(a.reader), fromSnapshot: await tablesOf(b.reader), statement: b.statement, fullStatement: a.statement };
  } finally {
    await a.release();
    await b.release();
  }
}

async function erase(store: EventStore, personal: PersonalData, customerId: string, at: Date): Promise<void> {
  await personal.erase(customerId, at);
  const streamId = customerStreamId(customerId);
  const stream = await store.readStream(streamId);
  let state = initialState();
  for (const stored of stream) {
    const checked = asJourneyEvent(stored);
    if (checked.ok) state = evolve(state, checked.event);
  }
  const events = decideErasure(customerId, state, at);
  await store.append([{ streamId, expectedRevision: stream[stream.length - 1].revision, events: events.map((e) => ({ ...e, data: { ...e.data } })) }]);
}

describe('as-of reads from the snapshot ladder', () => {
  for (const [label, unordered] of [
    ['SQLite (recorded times rise with the position)', false],
    ['a store whose recorded times do not rise with the position', true],
  ] as const) {
    it(`snapshot + the tail replayed equals the whole log replayed, every table, for any asOf (property; ${label})`, async () => {
      await fc.assert(
        fc.asyncProperty(
          history,
          fc.integer({ min: 3, max: 9 }),
          fc.array(fc.integer({ min: -5, max: 400 }), { minLength: 2, maxLength: 5 }),
          fc.boolean(),
          async (batches, everyEvents, asOfHours, metrics) => {
            const w = world();
            const log = unordered ? new UnorderedRecordedTimes(w.store) : w.store;
            const readModels: ReplayedReadModels = metrics ? metricReadModels(ZONE) : customerReadModels(ZONE, w.personal);
            const full = wholeReplays(log, readModels);
            const laddered = new AsOfReplays(log, readModels, { snapshots: snapshotsIn(w, everyEvents) });
            try {
              let clock = START;
              const recordedAt: number[] = [];
              for (const batch of batches) {
                clock += batch.afterHours * HOUR;
                w.setClock(clock);
                recordedAt.push(clock);
                await record(w, batch.facts.flatMap(commandOf));
                // the builder runs as the log grows, so snapshots fall between batches and inside them
                if (batch.afterHours % 2 === 0) await laddered.extendSnapshots();
              }
              await laddered.extendSnapshots();
              const ladder = new SnapshotLadder(snapshotsIn(w, everyEvents).dir, { projections: {}, settings: '' });
              const head = await w.store.headPosition();
              // a snapshot every `everyEvents` events, none due beyond the newest
              const made = fs.existsSync(ladder.dir) ? fs.readdirSync(ladder.dir).filter((f) => f.endsWith('.json')).length : 0;
              expect(made).toBe(Math.floor(head / everyEvents));
              // moments between batches, at a batch's own moment, before anything
              const moments = [...asOfHours.map((h) => START + h * HOUR + (h % 2 ? 1 : 0)), ...recordedAt.slice(0, 2)];
              for (const at of moments) {
                const { replayed, fromSnapshot, statement, fullStatement } = await bothWays(full, laddered, new Date(at));
                expect(fromSnapshot).toEqual(replayed);
                expect(fullStatement.path).toBe('replay');
                if (statement.path !== 'replay') expect(statement.eventsReplayed).toBeLessThanOrEqual(fullStatement.eventsReplayed);
              }
              // the newest moment has a snapshot to start from whenever one was made (asked of replays that keep no moment to start from)
              const ladderOnly = new AsOfReplays(log, readModels, { snapshots: snapshotsIn(w, everyEvents) });
              const last = await ladderOnly.at(new Date(clock));
              expect(last.statement.path).toBe(made > 0 ? 'snapshot + replay' : 'replay');
              await last.release();
              await ladderOnly.close();
            } finally {
              await full.close();
              await laddered.close();
              await w.done();
            }
          },
        ),
        { numRuns: 40 },
      );
    }, 240_000);
  }

  for (const [label, unordered] of [
    ['SQLite', false],
    ['a store whose recorded times do not rise with the position', true],
  ] as const) {
    it(`a later moment starts from the read models kept for an earlier one when they are a prefix of the log, and equals the whole log replayed, every table (property; ${label})`, async () => {
      let startedFromKept = 0;
      await fc.assert(
        fc.asyncProperty(
          history,
          fc.array(fc.integer({ min: -5, max: 400 }), { minLength: 2, maxLength: 6 }),
          fc.boolean(),
          async (batches, asOfHours, metrics) => {
            const w = world();
            const log = unordered ? new UnorderedRecordedTimes(w.store) : w.store;
            const readModels: ReplayedReadModels = metrics ? metricReadModels(ZONE) : customerReadModels(ZONE, w.personal);
            const full = wholeReplays(log, readModels);
            // no ladder: every start is a kept moment or nothing
            const stepping = new AsOfReplays(log, readModels);
            try {
              let clock = START;
              for (const batch of batches) {
                clock += batch.afterHours * HOUR;
                w.setClock(clock);
                await record(w, batch.facts.flatMap(commandOf));
              }
              const events = await log.readAll({ after: 0, limit: 1_000_000 });
              // a dashboard stepping forward in time (and once back)
              const moments = [...asOfHours.map((h) => START + h * HOUR + (h % 2 ? 1 : 0)).sort((a, b) => a - b), START + asOfHours[0] * HOUR];
              let previous: number | null = null;
              for (const at of moments) {
                const { replayed, fromSnapshot, statement } = await bothWays(full, stepping, new Date(at));
                expect(fromSnapshot).toEqual(replayed);
                if (statement.path === 'kept moment + replay') {
                  startedFromKept++;
                  // every event up to where it started was recorded by then (the kept moment may be a later one that knew no more)
                  expect(events.filter((e) => e.position <= statement.snapshotPosition! && Date.parse(e.recordedAt) > at)).toEqual([]);
                }
                // on SQLite a moment after one that knew something always starts from it
                const knewBefore = previous !== null && previous <= at && events.some((e) => Date.parse(e.recordedAt) <= previous!);
                if (!unordered && knewBefore && statement.replayMs > 0) expect(statement.path).toBe('kept moment + replay');
                previous = at;
              }
            } finally {
              await full.close();
              await stepping.close();
              await w.done();
            }
          },
        ),
        { numRuns: 30 },
      );
      expect(startedFromKept).toBeGreaterThan(0);
    }, 240_000);
  }

  it('a changed projection version or time zone never reads an old snapshot: they are deleted and built again', async () => {
    const w = world();
    const readModels = customerReadModels(ZONE, w.personal);
    const replays: AsOfReplays[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        w.setClock(START + i * HOUR);
        await record(w, commandOf({ kind: 'visit', customer: i % 4, other: 0, occurredHour: i, score: i, place: i % 3 }));
      }
      const first = new AsOfReplays(w.store, readModels, { snapshots: snapshotsIn(w, 4) });
      replays.push(first);
      const head = await w.store.headPosition();
      const steps = Math.floor(head / 4);
      expect(await first.extendSnapshots()).toBe(steps);
      const asOf = new Date(START + 20 * HOUR);
      const before = await first.at(asOf);
      expect(before.statement).toMatchObject({ path: 'snapshot + replay', snapshotPosition: steps * 4, eventsReplayed: head - steps * 4 });
      await before.release();

      const dir = snapshotsIn(w, 4).dir;
      const versions = () =>
        fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
      // the journey map's version moves on
      const nextVersion = `${readModels(w.store).find((p) => p.name === 'journey-map')!.version}-next`;
      const bumped: ReplayedReadModels = (log) =>
        readModels(log).map((p) => (p.name === 'journey-map' ? Object.assign(p, { version: `${p.version}-next` }) : p));
      const next = new AsOfReplays(w.store, bumped, { snapshots: snapshotsIn(w, 4) });
      replays.push(next);
      const answered = await next.at(asOf);
      expect(answered.statement.path).toBe('replay');
      expect(await answered.reader.get('SELECT version FROM projection_checkpoints WHERE name = ?', ['journey-map'])).toEqual({ version: nextVersion });
      await answered.release();
      expect(versions()).toEqual([]);
      expect(await next.extendSnapshots()).toBe(steps);
      expect(versions().map((m) => m.projections['journey-map'])).toEqual(Array(steps).fill(nextVersion));

      // another time zone: the same
      const utc = new AsOfReplays(w.store, customerReadModels('UTC', w.personal), { snapshots: snapshotsIn(w, 4, 'timeZone=UTC') });
      replays.push(utc);
      const inUtc = await utc.at(new Date(START + 21 * HOUR));
      expect(inUtc.statement.path).toBe('replay');
      await inUtc.release();
      expect(versions()).toEqual([]);
    } finally {
      for (const r of replays) await r.close();
      await w.done();
    }
  });

  it("an erased customer's search tokens do not come back through a snapshot made before the erasure, and the snapshot on disk forgets them", async () => {
    const w = world();
    const readModels = customerReadModels(ZONE, w.personal);
    const full = wholeReplays(w.store, readModels);
    const laddered = new AsOfReplays(w.store, readModels, { snapshots: snapshotsIn(w, 4) });
    try {
      for (let i = 0; i < 8; i++) {
        w.setClock(START + i * HOUR);
        const kind: Kind = i < 4 ? 'profile' : 'visit';
        await record(w, commandOf({ kind, customer: i % 4, other: 0, occurredHour: i, score: i % 4, place: 0 }));
      }
      expect(await laddered.extendSnapshots()).toBe(Math.floor((await w.store.headPosition()) / 4));
      const found = async (reader: SqlExecutor, name: string) => {
        const clause = customerSearchClause(customerSearch(w.personal.searchKey, name));
        return (await reader.all<{ customer_id: string }>(`SELECT customer_id FROM jm_customers WHERE ${clause.sql} ORDER BY customer_id`, clause.params)).map(
          (r) => r.customer_id,
        );
      };
      const tokensOf = async (reader: SqlExecutor, customerId: string) =>
        (await reader.get<{ n: number }>('SELECT COUNT(*) AS n FROM customer_search WHERE customer_id = ?', [customerId]))!.n;
      const asOf = new Date(START + 10 * HOUR);
      const before = await laddered.at(asOf);
      expect(before.statement.path).toBe('snapshot + replay');
      expect(await found(before.reader, 'Bình')).toEqual(['kh-1']);
      await before.release();
      // replays with no ladder (the erased customers given all the same) keep that moment too
      const stepping = new AsOfReplays(w.store, readModels, { snapshots: snapshotsIn(w, 0) });
      const steppingBefore = await stepping.at(asOf);
      expect(await found(steppingBefore.reader, 'Bình')).toEqual(['kh-1']);
      await steppingBefore.release();

      // erased later: the key is destroyed now, CustomerErased recorded now (after asOf)
      w.setClock(START + 30 * HOUR);
      await erase(w.store, w.personal, 'kh-1', new Date(START + 30 * HOUR));
      // the first snapshot: made before the erasure, it holds kh-1's profile (recorded second)
      const snapshotFile = path.join(snapshotsIn(w, 4).dir, `${'4'.padStart(15, '0')}.db`);
      const onDisk = async () => {
        const copy = path.join(w.dir, 'look.db');
        fs.copyFileSync(snapshotFile, copy);
        const { SqliteReadModelDatabase } = await import('../sqlite/sqlite-read-model-database');
        const db = SqliteReadModelDatabase.open(copy);
        try {
          return await tokensOf(db.reader, 'kh-1');
        } finally {
          await db.close();
        }
      };
      expect(await onDisk()).toBeGreaterThan(0);

      // a new moment, asked of replays that kept none: read from the snapshot made before the erasure
      const later = new Date(START + 11 * HOUR);
      const fresh = new AsOfReplays(w.store, readModels, { snapshots: snapshotsIn(w, 4) });
      const { replayed, fromSnapshot, statement } = await bothWays(full, fresh, later).finally(() => fresh.close());
      expect(statement.path).toBe('snapshot + replay');
      expect(fromSnapshot).toEqual(replayed);
      expect(fromSnapshot.customer_search.filter((row) => row.includes('"kh-1"'))).toEqual([]);
      expect(fromSnapshot.customer_search.length).toBeGreaterThan(0);
      const lent = await laddered.at(later);
      expect(await found(lent.reader, 'Bình')).toEqual([]);
      expect(await found(lent.reader, 'An')).toEqual(['kh-0']);
      await lent.release();

      // the moment kept from before the erasure, asked again, forgets them as well
      const keptBefore = await laddered.at(asOf);
      expect(keptBefore.statement.replayMs).toBe(0);
      expect(await found(keptBefore.reader, 'Bình')).toEqual([]);
      expect(await tokensOf(keptBefore.reader, 'kh-1')).toBe(0);
      await keptBefore.release();
      // and a moment started from a copy of one kept from before the erasure
      const steppedOn = await stepping.at(later);
      expect(steppedOn.statement).toMatchObject({ path: 'kept moment + replay', keptAsOf: asOf.toISOString() });
      expect(await found(steppedOn.reader, 'Bình')).toEqual([]);
      expect(await tokensOf(steppedOn.reader, 'kh-1')).toBe(0);
      expect(await found(steppedOn.reader, 'An')).toEqual(['kh-0']);
      await steppedOn.release();
      await stepping.close();

      // the builder's next look rewrites the snapshots without them
      await laddered.extendSnapshots();
      expect(await onDisk()).toBe(0);
      const meta = JSON.parse(fs.readFileSync(snapshotFile.replace(/\.db$/, '.json'), 'utf8'));
      expect(meta.erasedForgotten).toBe(1);
    } finally {
      await full.close();
      await laddered.close();
      await w.done();
    }
  });

  it('a half-written or corrupt snapshot is ignored and deleted; the answer still equals the replay', async () => {
    const w = world();
    const readModels = customerReadModels(ZONE, w.personal);
    const full = wholeReplays(w.store, readModels);
    const laddered = new AsOfReplays(w.store, readModels, { snapshots: snapshotsIn(w, 3) });
    try {
      for (let i = 0; i < 9; i++) {
        w.setClock(START + i * HOUR);
        await record(w, commandOf({ kind: i % 3 ? 'visit' : 'nps', customer: i % 4, other: 0, occurredHour: i, score: i, place: i % 3 }));
      }
      const head = await w.store.headPosition();
      const steps = Math.floor(head / 3);
      expect(await laddered.extendSnapshots()).toBe(steps);
      expect(steps).toBeGreaterThanOrEqual(3);
      const dir = snapshotsIn(w, 3).dir;
      const file = (position: number, ext: string) => path.join(dir, `${String(position).padStart(15, '0')}.${ext}`);
      // the newest is garbage of the right size; the others but the first lost their JSON (a crash between the two renames); a temporary file is left over
      fs.writeFileSync(file(steps * 3, 'db'), Buffer.alloc(fs.statSync(file(steps * 3, 'db')).size, 7));
      for (let step = 2; step < steps; step++) fs.rmSync(file(step * 3, 'json'));
      fs.writeFileSync(path.join(dir, 'building.tmp'), 'half');
      const errors: unknown[] = [];
      // no moment kept: each answer starts from the ladder (or nothing), never from the moment before
      const tolerant = new AsOfReplays(w.store, readModels, { keep: 0, snapshots: { ...snapshotsIn(w, 3), onError: (e) => errors.push(e) } });
      try {
        const asOf = new Date(START + 20 * HOUR);
        const { replayed, fromSnapshot, statement } = await bothWays(full, tolerant, asOf);
        expect(fromSnapshot).toEqual(replayed);
        // the garbage and the orphan skipped: the first snapshot served
        expect(statement).toMatchObject({ path: 'snapshot + replay', snapshotPosition: 3, eventsReplayed: head - 3 });
        expect(errors).toHaveLength(1);
        const listed = () => fs.readdirSync(dir).filter((name) => name !== '.work');
        expect(listed().sort()).toEqual([path.basename(file(3, 'db')), path.basename(file(3, 'json'))]);
        // a JSON that does not parse
        fs.writeFileSync(file(3, 'json'), '{"position": 3, "recor');
        const second = await tolerant.at(new Date(START + 21 * HOUR));
        expect(second.statement.path).toBe('replay');
        await second.release();
        expect(listed()).toEqual([]);
        // built again from nothing
        expect(await tolerant.extendSnapshots()).toBe(steps);
      } finally {
        await tolerant.close();
      }
    } finally {
      await full.close();
      await laddered.close();
      await w.done();
    }
  });

  const positionsIn = (dir: string) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => Number(f.replace('.json', '')))
      .sort((a, b) => a - b);

  it('thins evenly to the cap as the log grows, spacing new snapshots with the log, always keeping the newest', async () => {
    const w = world();
    const options = { ...snapshotsIn(w, 2, `timeZone=${ZONE}`, 'metrics'), maxKept: 4 };
    const replays = new AsOfReplays(w.store, metricReadModels(ZONE), { snapshots: options });
    try {
      // a short log: one snapshot every 2 events
      while ((await w.store.headPosition()) < 6) await record(w, commandOf({ kind: 'nps', customer: 0, other: 0, occurredHour: 1, score: 9, place: 0 }));
      const first = Math.floor((await w.store.headPosition()) / 2);
      expect(await replays.extendSnapshots()).toBe(first);
      expect(positionsIn(options.dir)).toEqual(Array.from({ length: first }, (_, i) => 2 * (i + 1)));
      // it grows: a snapshot every 2 events more, the ladder thinned to 4
      for (let i = 0; i < 12; i++) await record(w, commandOf({ kind: 'nps', customer: i % 3, other: 0, occurredHour: i, score: i % 11, place: i % 3 }));
      const head = await w.store.headPosition();
      await replays.extendSnapshots();
      const positions = positionsIn(options.dir);
      expect(positions).toHaveLength(4);
      // the newest within a stride of the head: the stride grows with the log (N, or the events over the cap when more)
      expect(head - positions[3]).toBeLessThan(Math.max(2, Math.ceil(positions[3] / 4)));
      // no two neighbours closer than the ladder's step, none further than twice an even quarter
      const gaps = positions.map((p, i) => p - (i === 0 ? 0 : positions[i - 1]));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(2);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(head / 2);
    } finally {
      await replays.close();
      await w.done();
    }
  });

  it("the builder's timer waits for a pause in writes: a look that finds the log moved builds nothing, the next still one builds, and writes that never pause are built for at the 15th look", async () => {
    const w = world();
    const options = { ...snapshotsIn(w, 2, `timeZone=${ZONE}`, 'metrics'), maxKept: 100 };
    const replays = new AsOfReplays(w.store, metricReadModels(ZONE), { snapshots: options });
    // the timer's look, called directly (no timer started: deterministic)
    const look = () => (replays as unknown as { builder: { poll(): Promise<number> } }).builder.poll();
    const nps = (i: number) => record(w, commandOf({ kind: 'nps', customer: i % 3, other: 0, occurredHour: i, score: i % 11, place: i % 3 }));
    try {
      for (let i = 0; i < 4; i++) await nps(i);
      expect(await look()).toBeGreaterThan(0); // a first look: nothing to compare with, builds
      const built = positionsIn(options.dir).length;
      for (let i = 4; i < 8; i++) await nps(i);
      expect(await look()).toBe(0); // the log moved since the last look: waits
      expect(positionsIn(options.dir)).toHaveLength(built);
      expect(await look()).toBeGreaterThan(0); // still since: builds
      let looks = 0;
      let written = 0;
      while (written === 0) {
        await nps(100 + looks);
        written = await look();
        looks++;
      }
      expect(looks).toBe(15);
    } finally {
      await replays.close();
      await w.done();
    }
  });

  it('the builder also waits while the live read models are behind the log; a look it is forced to make runs one job, and after a pause it runs every job due', async () => {
    const w = world();
    let behind = true;
    const options = { ...snapshotsIn(w, 2, `timeZone=${ZONE}`, 'metrics'), maxKept: 100, busy: async () => behind };
    const replays = new AsOfReplays(w.store, metricReadModels(ZONE), { snapshots: options });
    const look = () => (replays as unknown as { builder: { poll(): Promise<number> } }).builder.poll();
    const nps = (i: number) => record(w, commandOf({ kind: 'nps', customer: i % 3, other: 0, occurredHour: i, score: i % 11, place: i % 3 }));
    try {
      for (let i = 0; i < 10; i++) await nps(i); // five snapshots due
      for (let i = 1; i < 15; i++) expect(await look()).toBe(0); // the log is still, but the read models are behind
      expect(fs.existsSync(options.dir)).toBe(false);
      expect(await look()).toBe(1); // the 15th look runs anyway: one job, one snapshot
      behind = false;
      expect(await look()).toBe(4); // caught up and still: every job that is due
      expect(positionsIn(options.dir)).toHaveLength(5);
    } finally {
      await replays.close();
      await w.done();
    }
  });

  it('on a long log with no ladder yet, writes the cap of snapshots evenly (not one every N events thinned at once), in jobs of at most N events', async () => {
    const w = world();
    const options = { ...snapshotsIn(w, 2, `timeZone=${ZONE}`, 'metrics'), maxKept: 4 };
    const replays = new AsOfReplays(w.store, metricReadModels(ZONE), { snapshots: options });
    try {
      for (let i = 0; i < 30; i++) await record(w, commandOf({ kind: 'nps', customer: i % 3, other: 0, occurredHour: i, score: i % 11, place: i % 3 }));
      const head = await w.store.headPosition();
      expect(head).toBeGreaterThan(2 * 4);
      const written: number[] = [];
      const watch = setInterval(() => written.push(positionsIn(options.dir).length), 1);
      expect(await replays.extendSnapshots()).toBe(4);
      clearInterval(watch);
      const stride = Math.ceil(head / 4);
      expect(positionsIn(options.dir)).toEqual([stride, 2 * stride, 3 * stride, head]);
      // never more than the cap on disk on the way
      expect(Math.max(0, ...written)).toBeLessThanOrEqual(4);
      // a moment at the end answers from the newest with no tail
      const lent = await replays.at(new Date(START + 1000 * HOUR));
      expect(lent.statement).toMatchObject({ path: 'snapshot + replay', eventsReplayed: 0 });
      await lent.release();
    } finally {
      await replays.close();
      await w.done();
    }
  });
});
