import type { ClientBase } from 'pg';
import { escapeIdentifier } from 'pg';

/**
 * Versioned schema migrations for PostgreSQL, kept in `journeyline_migrations` inside the schema
 * they migrate: one row per applied (component, version). The event store and the read models
 * each migrate their own schema, and a component upgrades only from the version it finds, so a
 * migration re-run is a no-op and two processes starting together take turns.
 */
export interface Migration {
  version: number;
  description: string;
  /** Receives the quoted schema name; runs inside the migration transaction. */
  sql: (schema: string) => string;
}

export interface MigrationOutcome {
  /** Versions applied by this call (empty when the schema was already current). */
  applied: number[];
  version: number;
}

/**
 * Creates the schema when needed and applies the missing migrations in one transaction, under an
 * advisory lock on the schema name (concurrent `CREATE SCHEMA IF NOT EXISTS` is not safe without it).
 * @throws when the schema is at a version newer than `migrations` know: an older build must not
 *   write to a newer schema.
 */
export async function migrate(client: ClientBase, schema: string, component: string, migrations: readonly Migration[]): Promise<MigrationOutcome> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`${component} migrations must be numbered 1, 2, 3, ...: found ${m.version} at index ${i}`);
  });
  const s = escapeIdentifier(schema);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`journeyline-migrations:${schema}`]);
    // Only when missing: CREATE SCHEMA needs the CREATE privilege on the database even with IF NOT
    // EXISTS, and a DBA may have created the schema for a user who does not have it.
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.journeyline_migrations (
      component   text        NOT NULL,
      version     integer     NOT NULL,
      description text        NOT NULL,
      applied_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (component, version)
    )`);
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.journeyline_migrations WHERE component = $1`, [
      component,
    ]);
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`${component} schema ${schema} is at version ${current}, newer than this build knows (${migrations.length}); upgrade Journeyline`);
    }
    const applied: number[] = [];
    for (const migration of migrations.slice(current)) {
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.journeyline_migrations (component, version, description) VALUES ($1, $2, $3)`, [
        component,
        migration.version,
        migration.description,
      ]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
    return { applied, version: migrations.length };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
