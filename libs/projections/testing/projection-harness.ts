import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore, type StoredEvent } from '@journeyline/event-store';
import { recordCustomerEvents } from '@journeyline/recording';
import { generateJourneys } from '@journeyline/demo';
import { asJourneyEvent, type CustomerCommand } from '@journeyline/journey';
import type { ProjectedEvent, Projection } from '@journeyline/projections/runtime/projection';
import type { ReadModelDatabase } from '@journeyline/projections/runtime/sql-executor';
import { SqliteReadModelDatabase } from '@journeyline/projections/sqlite/sqlite-read-model-database';

/** A real SQLite event store and read-model database in a temp directory. */
export function sqliteHarness() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-projections-'));
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
  const databases: ReadModelDatabase[] = [];
  return {
    dir,
    store,
    readModels(name = 'read-models.db'): ReadModelDatabase {
      const db = SqliteReadModelDatabase.open(path.join(dir, name));
      databases.push(db);
      return db;
    },
    async record(commands: CustomerCommand[]) {
      return recordCustomerEvents(store, commands);
    },
    async close() {
      for (const db of databases) await db.close();
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
