import { randomUUID } from 'node:crypto';
import { Client, escapeIdentifier } from 'pg';
import { PostgresEventStore } from '@journeyline/event-store';
import type { CustomerCommand } from '@journeyline/journey';
import { PersonalData, PostgresKeyVault } from '@journeyline/privacy';
import { CustomerStateCache, recordCustomerEvents } from '@journeyline/recording';
import { appendRequests, factOf } from './bench-events';
import { seconds, type PathRun } from './sqlite-paths';

/** The PostgreSQL the benchmark writes into (every table in schemas of its own, dropped afterwards). */
export interface PostgresTarget {
  connectionString: string;
}

/** Whether the server answers at all (the PostgreSQL rows are skipped, and say so, when it does not). */
export async function reachable(target: PostgresTarget): Promise<string | null> {
  const client = new Client({ connectionString: target.connectionString, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Runs `work` against a fresh schema named for this run and `label`, and drops it afterwards.
 * `work` gets a connection string whose sessions use that schema (search_path, for Emmett, whose
 * tables are unqualified) and a row counter for a table of the schema.
 */
export async function withSchema<T>(
  target: PostgresTarget,
  label: string,
  work: (connectionString: string, count: (table: string) => Promise<number>, schema: string) => Promise<T>,
): Promise<T> {
  const schema = `jl_write_bench_${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const admin = new Client({ connectionString: target.connectionString });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${escapeIdentifier(schema)}`);
    const url = new URL(target.connectionString);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const count = async (table: string) =>
      Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${escapeIdentifier(schema)}.${escapeIdentifier(table)}`)).rows[0].n);
    return await work(url.toString(), count, schema);
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

/** `PostgresEventStore.append`, `lanes.length` concurrent writers, one call a batch (customers never shared between writers). */
export async function postgresAdapter(target: PostgresTarget, lanes: readonly CustomerCommand[][][]): Promise<PathRun> {
  return withSchema(target, 'adapter', async (_, count, schema) => {
    const store = await PostgresEventStore.open({ connectionString: target.connectionString, schema, maxConnections: lanes.length + 2 });
    try {
      let events = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        lanes.map(async (batches) => {
          const revisions = new Map<string, number>();
          for (const batch of batches) {
            await store.append(appendRequests(batch.map(factOf), revisions));
            events += batch.length;
          }
        }),
      );
      const took = seconds(started);
      const rows = await count('events');
      if (rows < events) throw new Error(`the postgres adapter stored ${rows} rows, expected ${events}`);
      return { events, seconds: took, cpuSeconds: null, storedRows: rows };
    } finally {
      await store.close();
    }
  });
}

/** `recordCustomerEvents` on PostgreSQL (key vault in the same schema), `lanes.length` concurrent writers sharing one state cache, as the server's handler does. */
export async function postgresWritePath(target: PostgresTarget, lanes: readonly CustomerCommand[][][]): Promise<PathRun> {
  return withSchema(target, 'record', async (_, count, schema) => {
    const store = await PostgresEventStore.open({ connectionString: target.connectionString, schema, maxConnections: lanes.length + 2 });
    const vault = await PostgresKeyVault.open({ connectionString: target.connectionString, schema });
    const personal = new PersonalData(vault, { masterKey: null, personalPortrait: [] });
    const states = new CustomerStateCache();
    try {
      let events = 0;
      const started = process.hrtime.bigint();
      await Promise.all(
        lanes.map(async (batches) => {
          for (const batch of batches) {
            await recordCustomerEvents(store, batch, { personal, states });
            events += batch.length;
          }
        }),
      );
      const took = seconds(started);
      const rows = await count('events');
      if (rows < events) throw new Error(`the postgres write path stored ${rows} rows, expected at least ${events}`);
      return { events, seconds: took, cpuSeconds: null, storedRows: rows };
    } finally {
      await vault.close();
      await store.close();
    }
  });
}
