import { checkOut, createPool, migrate, toStoreError, type Migration } from '@journeyline/event-store/postgres';
import { escapeIdentifier, types, type Pool, type PoolClient } from 'pg';
import type { ReadModelDatabase, SqlExecutor } from '../runtime/sql-executor';
import { numberPlaceholders } from './postgres-placeholders';

export interface PostgresReadModelDatabaseOptions {
  connectionString: string;
  /** Schema of the read-model tables, created when missing. Default `journeyline_read`. */
  schema?: string;
  /** Connections of the pool (queries, plus one per running projector transaction). Default 10. */
  maxConnections?: number;
}

/**
 * Nothing to migrate yet: projections create and version their own tables (Projection.version);
 * this records that the schema exists and leaves room for shared steps later.
 */
const READ_MODEL_MIGRATIONS: readonly Migration[] = [{ version: 1, description: 'read-model schema', sql: () => 'SELECT 1' }];

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Numbers come back as JavaScript numbers, as on SQLite: node-postgres returns BIGINT and NUMERIC
 * (what SUM and COUNT give) as strings, which would make a Postgres dump differ from an SQLite one
 * and `x + 1` a concatenation. Set on this pool's connections only, never on the global parsers,
 * so other users of `pg` in the process (the event store reads positions itself) are unaffected.
 */
const numericTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (format !== 'binary' && (oid === INT8 || oid === NUMERIC)) return (value: string) => Number(value);
    return types.getTypeParser(oid, format);
  },
};

/**
 * Read models in PostgreSQL, in their own schema (every connection's search_path is that schema,
 * so the projections' unqualified table names land there). Queries read through the pool; each
 * projector transaction runs on one connection checked out for it. Failures to reach the server
 * become StoreUnavailableError, so reads answer 503 during an outage like writes do.
 *
 * Text sorts by the database's collation: under `C` / `C.UTF-8` (code point order) every ORDER BY
 * and keyset cursor matches SQLite's; under a linguistic collation (en_US.UTF-8, say) customer ids
 * and touchpoint keys may list in another order than on SQLite. Create the database with
 * `LC_COLLATE 'C.UTF-8'` (or `TEMPLATE template0 LOCALE 'C.UTF-8'`) to keep them identical.
 */
export class PostgresReadModelDatabase implements ReadModelDatabase {
  readonly reader: SqlExecutor;
  /** The reader: a query waits on the network, not on the event loop. */
  get queries(): SqlExecutor {
    return this.reader;
  }

  private constructor(
    readonly pool: Pool,
    readonly schema: string,
  ) {
    this.reader = new PostgresExecutor((sql, params) => pool.query(sql, params));
  }

  static async open(options: PostgresReadModelDatabaseOptions): Promise<PostgresReadModelDatabase> {
    const schema = options.schema ?? 'journeyline_read';
    // The name travels in the connection's startup options, which split on spaces and backslashes.
    if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(schema)) throw new Error(`read-model schema must be a plain SQL name, got "${schema}"`);
    const pool = createPool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 10,
      options: `-c search_path=${escapeIdentifier(schema)}`,
      types: numericTypes,
    });
    try {
      const { client, release } = await checkOut(pool, 'postgres read models');
      try {
        await migrate(client, schema, 'read-models', READ_MODEL_MIGRATIONS);
      } finally {
        release();
      }
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw toStoreError(error, 'postgres read models');
    }
    return new PostgresReadModelDatabase(pool, schema);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const { client, release } = await checkOut(this.pool, 'postgres read models');
    let discard: Error | undefined;
    try {
      await query(client, 'BEGIN');
      let ddlLocked = false;
      const lockSchemaChanges = async () => {
        if (ddlLocked) return;
        ddlLocked = true;
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`journeyline-read-model-ddl:${this.schema}`]);
      };
      const result = await work(new PostgresExecutor((sql, params) => client.query(sql, params), lockSchemaChanges));
      await query(client, 'COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        discard = rollbackError; // the connection is gone or confused: do not pool it
      });
      throw error;
    } finally {
      release(discard);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

type Run = (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>;

class PostgresExecutor implements SqlExecutor {
  readonly dialect = 'postgres' as const;

  /**
   * @param beforeScript taken before a script in a transaction: processes starting together both
   *   run `CREATE TABLE IF NOT EXISTS`, and the second would fail on the first's uncommitted
   *   catalog rows (a unique violation, not "exists") instead of waiting for them.
   */
  constructor(
    private readonly run_: Run,
    private readonly beforeScript: () => Promise<void> = async () => undefined,
  ) {}

  async run(sql: string, params: readonly unknown[] = []): Promise<void> {
    await this.query(sql, params);
  }

  async lockSchemaChanges(): Promise<void> {
    try {
      await this.beforeScript();
    } catch (error) {
      throw toStoreError(error, 'postgres read models');
    }
  }

  /** A script: sent as one simple query, which PostgreSQL runs statement by statement. */
  async exec(sql: string): Promise<void> {
    try {
      await this.beforeScript();
      await this.run_(sql);
    } catch (error) {
      throw toStoreError(error, 'postgres read models');
    }
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params)) as T[];
  }

  async get<T>(sql: string, params: readonly unknown[] = []): Promise<T | undefined> {
    return (await this.query(sql, params))[0] as T | undefined;
  }

  private async query(sql: string, params: readonly unknown[]): Promise<unknown[]> {
    try {
      return (await this.run_(translate(sql), [...params])).rows;
    } catch (error) {
      throw toStoreError(error, 'postgres read models');
    }
  }
}

/** Translations are cached per SQL text: projections run the same few statements millions of times. */
const translated = new Map<string, string>();

function translate(sql: string): string {
  let text = translated.get(sql);
  if (text === undefined) {
    text = numberPlaceholders(sql);
    if (translated.size < 10_000) translated.set(sql, text);
  }
  return text;
}

async function query(client: PoolClient, sql: string): Promise<void> {
  try {
    await client.query(sql);
  } catch (error) {
    throw toStoreError(error, 'postgres read models');
  }
}
