import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore, type EventStore, type StoredEvent } from '@journeyline/event-store';
import { recordCustomerEvents } from '@journeyline/recording';
import { generateJourneys } from '@journeyline/demo';
import { asJourneyEvent, type CustomerCommand } from '@journeyline/journey';
import type { ProjectedEvent, Projection } from '@journeyline/projections/runtime/projection';
import { Projector } from '@journeyline/projections/runtime/projector';
import type { ReadModelDatabase } from '@journeyline/projections/runtime/sql-executor';
import { SqliteReadModelDatabase } from '@journeyline/projections/sqlite/sqlite-read-model-database';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

/** Runs `work` with a harness and closes it afterwards, whatever happens. */
export async function withHarness<H extends { close(): Promise<void> }>(harness: H, work: (h: H) => Promise<void>): Promise<void> {
  try {
    await work(harness);
  } finally {
    await harness.close();
  }
}

/** A real SQLite event store and read-model database in a temp directory. */
export function sqliteHarness() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-projections-'));
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
  const personal = localPersonalData(path.join(dir, 'journeyline.db'));
  const databases: ReadModelDatabase[] = [];
  return {
    dir,
    store,
    personal,
    readModels(name = 'read-models.db'): ReadModelDatabase {
      const db = SqliteReadModelDatabase.open(path.join(dir, name));
      databases.push(db);
      return db;
    },
    async record(commands: CustomerCommand[]) {
      return recordCustomerEvents(store, commands, { personal });
    },
    async close() {
      for (const db of databases) await db.close();
      await personal.vault.close();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stored events as the projector hands them to projections (through asJourneyEvent); a malformed one is a test bug. */
export function projected(events: readonly StoredEvent[]): ProjectedEvent[] {
  return events.map((event) => {
    const checked = asJourneyEvent(event);
    if (!checked.ok) throw new Error(`${event.eventId}: ${checked.reason}`);
    return checked.event;
  });
}

/**
 * A crash between the read-model write and the checkpoint (the 4th transaction throws after
 * writing) applies nothing twice and skips nothing: every checkpoint stays where the last commit
 * left it, and a restarted projector ends equal to a clean rebuild. Shared by the SQLite and the
 * PostgreSQL specs.
 */
export async function expectCrashBeforeCheckpointHarmless(
  store: EventStore,
  db: ReadModelDatabase,
  clean: ReadModelDatabase,
  projections: () => Projection[],
): Promise<void> {
  let batches = 0;
  const crashing = new Projector(store, db, projections(), {
    batchSize: 50,
    beforeCheckpoint: () => {
      if (++batches === 4) throw new Error('simulated crash');
    },
  });
  await expect(crashing.catchUp()).rejects.toThrow('simulated crash');
  const progress = await crashing.progress();
  expect(progress.every((p) => p.position === progress[0].position && p.position > 0)).toBe(true);
  expect(progress[0].position).toBeLessThan(await store.headPosition());

  const restarted = new Projector(store, db, projections(), { batchSize: 50 });
  await restarted.catchUp();
  const rebuilt = new Projector(store, clean, projections());
  await rebuilt.rebuild();
  expect(await dumpReadModels(db, restarted.projections)).toBe(await dumpReadModels(clean, rebuilt.projections));
}

/**
 * The same batch applied twice changes nothing: the journey map by itself (it keeps, per
 * customer, the last position folded into its row), and every projection through the runtime,
 * whose checkpoint alone says what was applied: asked again, in this process or another, it
 * applies nothing. Shared by the SQLite and the PostgreSQL specs.
 */
export async function expectEachBatchAppliedOnce(store: EventStore, db: ReadModelDatabase, projections: () => Projection[]): Promise<void> {
  const events = projected(await store.readAll({ after: 0, limit: 100_000 }));
  const journeyMap = projections().find((p) => p.name === 'journey-map')!;
  await db.transaction((tx) => journeyMap.setup(tx));
  await db.transaction((tx) => journeyMap.apply(events, tx));
  const once = await dumpReadModels(db, [journeyMap]);
  await db.transaction((tx) => journeyMap.apply(events, tx));
  await db.transaction((tx) => journeyMap.apply(events.slice(10, 40), tx));
  expect(await dumpReadModels(db, [journeyMap])).toBe(once);
  const all = projections();
  const runtime = new Projector(store, db, all);
  await runtime.rebuild();
  const caughtUp = await dumpReadModels(db, all);
  expect(await runtime.catchUp()).toBe(0);
  expect(await runtime.applyNextBatch(1000)).toBe(0);
  expect(await new Projector(store, db, projections()).catchUp()).toBe(0);
  expect(await dumpReadModels(db, all)).toBe(caughtUp);
}

/** Every row of every table of the projections, in a stable order, as one string. */
export async function dumpReadModels(db: ReadModelDatabase, projections: readonly Projection[]): Promise<string> {
  const out: Record<string, unknown[]> = {};
  for (const projection of projections) {
    for (const table of projection.tables) {
      const rows = await db.reader.all<Record<string, unknown>>(`SELECT * FROM ${table}`);
      out[table] = rows.map((r) => JSON.stringify(r)).sort();
    }
  }
  return JSON.stringify(out);
}

/** Interleaves customers' commands the way a live system receives them, with some late arrivals. */
export function interleavedJourneys(customers: number, seed: number): CustomerCommand[][] {
  const journeys = [...generateJourneys({ customers, seed })];
  const batches: CustomerCommand[][] = [];
  let round = 0;
  while (journeys.some((j) => j.length > 0)) {
    const batch: CustomerCommand[] = [];
    journeys.forEach((journey, i) => {
      if ((i + round) % 3 === 0 && journey.length > 0) batch.push(...journey.splice(0, 1 + (i % 4)));
    });
    // every seventh batch arrives in reverse: events older than ones already stored (late arrivals)
    if (batch.length > 0) batches.push(round % 7 === 3 ? reverseWithinCustomers(batch) : batch);
    round++;
  }
  return batches;
}

function reverseWithinCustomers(batch: CustomerCommand[]): CustomerCommand[] {
  // Only visits, feedback and profiles may be reordered without breaking ticket / churn rules.
  const movable = batch.filter((c): boolean => c.type === 'RecordTouchpointVisit' || c.type === 'RecordFeedback' || c.type === 'ProfileCustomer');
  const rest = batch.filter((c) => !movable.includes(c));
  return [...rest, ...movable.reverse()];
}
