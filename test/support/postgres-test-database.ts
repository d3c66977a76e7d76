import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * A database of its own on the test PostgreSQL server (JOURNEYLINE_TEST_POSTGRES_URL, default the
 * machine's cluster), so a server booted on it uses the production schema names (`journeyline`,
 * `journeyline_read`) without meeting another test's data. `drop()` removes it, ending any
 * connection a failed test left behind.
 */
export interface TestDatabase {
  name: string;
  /** The URL to give JOURNEYLINE_STORE_URL. */
  url: string;
  drop(): Promise<void>;
}

export function testPostgresServerUrl(): string {
  return process.env.JOURNEYLINE_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export async function createTestDatabase(prefix = 'jl_e2e'): Promise<TestDatabase> {
  const name = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await onServer((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(testPostgresServerUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function onServer(work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: testPostgresServerUrl() });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
