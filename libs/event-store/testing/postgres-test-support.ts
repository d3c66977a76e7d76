import { randomUUID } from 'node:crypto';
import { escapeIdentifier, type Pool } from 'pg';
import { createPool } from '@journeyline/event-store/postgres';

/**
 * For tests against a real PostgreSQL: the server in `JOURNEYLINE_TEST_POSTGRES_URL` (default the
 * machine's cluster, database `test`) and a fresh schema per test, dropped afterwards, so test
 * files can run in parallel on one database and leave nothing behind.
 */
export function testPostgresUrl(): string {
  return process.env.JOURNEYLINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

/** A lowercase schema name no other test run uses. */
export function uniqueSchema(prefix = 'jl_test'): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}

/** A small pool for setting up and dropping test schemas. */
export function adminPool(): Pool {
  return createPool({ connectionString: testPostgresUrl(), max: 2 });
}

export async function dropSchema(pool: Pool, schema: string): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS ${escapeIdentifier(schema)} CASCADE`);
}
