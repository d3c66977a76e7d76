import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { PostgresEventStore, SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { measurePostgresAppend } from './postgres-append.bench';
import { recordCustomerEvents } from '@journeyline/recording';
import { generateJourneys } from '@journeyline/demo';
import type { CustomerCommand } from '@journeyline/journey';
import { journeylineProjections, PostgresReadModelDatabase, Projector, SqliteReadModelDatabase, type ReadModelDatabase } from '@journeyline/projections';
import { PersonalData, PostgresKeyVault } from '@journeyline/privacy';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

/**
 * PostgreSQL beside SQLite in one run: append throughput (batches of 100 and 1,000 events, 1 and
 * 8 concurrent writers) and the projection rebuild rate on the same generated log in both stores.
 * Needs the PostgreSQL at BENCH_POSTGRES_URL (default 127.0.0.1:5432, database test); every table
 * lives in schemas made for this run and dropped after it.
 */
const URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function sqliteAppend(batchSize: number, writers: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-bench-append-'));
  const store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
  const until = Date.now() + SECONDS * 1000;
  const latencies: number[] = [];
  let events = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let round = 0; Date.now() < until; round++) {
        const requests = Array.from({ length: Math.ceil(batchSize / 10) }, (_, s) => ({
          streamId: `customer-w${w}-r${round}-s${s}`,
          expectedRevision: 'no_stream' as const,
          events: Array.from({ length: Math.min(10, batchSize) }, (_, i) => ({
            eventId: randomUUID(),
            type: 'TouchpointVisited',
            occurredAt: new Date().toISOString(),
            data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation', i },
          })),
        }));
        const t = Date.now();
        await store.append(requests);
        latencies.push(Date.now() - t);
        events += batchSize;
        await new Promise((resolve) => setImmediate(resolve));
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  latencies.sort((a, b) => a - b);
  return {
    batchSize,
    writers,
    events,
    eventsPerSecond: Math.round(events / seconds),
    p50Ms: latencies[latencies.length >> 1],
    p99Ms: latencies[Math.floor(latencies.length * 0.99)],
  };
}

async function rebuildRate(store: EventStore, readModels: ReadModelDatabase) {
  const projector = new Projector(store, readModels, journeylineProjections(store, 'Asia/Ho_Chi_Minh'));
  const started = Date.now();
  const events = await projector.rebuild();
  const seconds = (Date.now() - started) / 1000;
  return { events, seconds, eventsPerSecond: Math.round(events / seconds) };
}

async function main(): Promise<void> {
  const append: Record<string, unknown>[] = [];
  for (const batchSize of [100, 1000]) {
    for (const writers of [1, 8]) {
      const postgres = await measurePostgresAppend({ connectionString: URL, batchSize, writers, durationMs: SECONDS * 1000 });
      const sqlite = await sqliteAppend(batchSize, writers);
      append.push({ batchSize, writers, postgres, sqlite, postgresToSqlite: Number((postgres.eventsPerSecond / sqlite.eventsPerSecond).toFixed(2)) });
    }
  }

  // The same 10,000 generated customers recorded into both stores, then every projection rebuilt.
  const commands: CustomerCommand[] = [];
  for (const journey of generateJourneys({ customers: Number(process.env.BENCH_REBUILD_CUSTOMERS ?? 10_000), seed: 7 })) commands.push(...journey);
  commands.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-bench-rebuild-'));
  const schema = `jl_bench_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const sqlite = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
  const postgres = await PostgresEventStore.open({ connectionString: URL, schema });
  const sqlitePersonal = localPersonalData(path.join(dir, 'journeyline.db'));
  const postgresPersonal = new PersonalData(await PostgresKeyVault.open({ connectionString: URL, schema }), { masterKey: null, personalPortrait: [] });
  const sqliteReadModels = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
  const postgresReadModels = await PostgresReadModelDatabase.open({ connectionString: URL, schema: `${schema}_read` });
  try {
    for (let i = 0; i < commands.length; i += 2000) {
      await recordCustomerEvents(sqlite, commands.slice(i, i + 2000), { personal: sqlitePersonal });
      await recordCustomerEvents(postgres, commands.slice(i, i + 2000), { personal: postgresPersonal });
    }
    const onSqlite = await rebuildRate(sqlite, sqliteReadModels);
    const onPostgres = await rebuildRate(postgres, postgresReadModels);
    process.stdout.write(
      `${JSON.stringify({
        append,
        rebuild: { sqlite: onSqlite, postgres: onPostgres, postgresToSqlite: Number((onPostgres.eventsPerSecond / onSqlite.eventsPerSecond).toFixed(2)) },
      })}\n`,
    );
  } finally {
    await sqliteReadModels.close();
    await postgresReadModels.close();
    await sqlite.close();
    await postgres.close();
    fs.rmSync(dir, { recursive: true, force: true });
    const { Client } = await import('pg');
    const client = new Client({ connectionString: URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_read CASCADE`);
    await client.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
