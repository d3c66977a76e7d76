import { escapeIdentifier, type Pool } from 'pg';
import { checkOut, createPool, migrate, toStoreError, type Migration } from '@journeyline/event-store/postgres';
import type { ErasureOutcome, KeyVault, NewDataKey, VaultKey } from '../key-vault.port';

type Row = { customer_id: string; key_id: string; material: Buffer | null; created_at: Date; erased_at: Date | null };

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'customer data keys',
    sql: (s) => `CREATE TABLE ${s}.customer_keys (
      customer_id text PRIMARY KEY,
      key_id      text NOT NULL UNIQUE,
      material    bytea,
      created_at  timestamptz NOT NULL,
      erased_at   timestamptz
    )`,
  },
];

export interface PostgresKeyVaultOptions {
  connectionString: string;
  /** The event log's schema: the keys sit beside it, apart from the read models. */
  schema: string;
  maxConnections?: number;
}

/**
 * The data keys in PostgreSQL, in the event log's schema (table `customer_keys`). An erasure
 * rewrites the table (VACUUM FULL), so the destroyed key's old row version does not linger in a
 * data file; the server's write-ahead log and any backups keep it until they are recycled (see
 * the README on erasure).
 */
export class PostgresKeyVault implements KeyVault {
  readonly name = 'postgres';
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.table = `${escapeIdentifier(schema)}.customer_keys`;
  }

  static async open(options: PostgresKeyVaultOptions): Promise<PostgresKeyVault> {
    const pool = createPool({ connectionString: options.connectionString, max: options.maxConnections ?? 4 });
    try {
      const { client, release } = await checkOut(pool, 'open the key vault');
      try {
        await migrate(client, options.schema, 'key-vault', MIGRATIONS);
      } finally {
        release();
      }
      return new PostgresKeyVault(pool, options.schema);
    } catch (error) {
      await pool.end();
      throw error;
    }
  }

  async keysFor(customerIds: readonly string[], create: () => NewDataKey): Promise<Map<string, VaultKey>> {
    const ids = [...new Set(customerIds)];
    const found = await this.select('customer_id', ids);
    // one order for every writer: two batches inserting the same customers in different orders would deadlock
    const missing = ids.filter((id) => !found.has(id)).sort();
    if (missing.length > 0) {
      const keys = missing.map(() => create());
      await this.query(
        `INSERT INTO ${this.table} (customer_id, key_id, material, created_at)
         SELECT c, k, m, now() FROM unnest($1::text[], $2::text[], $3::bytea[]) AS t(c, k, m)
         ON CONFLICT (customer_id) DO NOTHING`,
        [missing, keys.map((k) => k.keyId), keys.map((k) => k.material)],
      );
      for (const [id, row] of await this.select('customer_id', missing)) found.set(id, row);
    }
    return found;
  }

  async byKeyIds(keyIds: readonly string[]): Promise<Map<string, VaultKey>> {
    const byCustomer = await this.select('key_id', [...new Set(keyIds)]);
    return new Map([...byCustomer.values()].map((row) => [row.keyId, row]));
  }

  async find(customerId: string): Promise<VaultKey | null> {
    return (await this.select('customer_id', [customerId])).get(customerId) ?? null;
  }

  async erase(customerId: string, at: Date, tombstoneKeyId: string): Promise<ErasureOutcome> {
    const { client, release } = await checkOut(this.pool, 'erase a data key');
    let outcome: { destroyed: boolean; erasedAt: string };
    try {
      await client.query('BEGIN');
      // The tombstone first (a customer who never had a key gets one), then the row locked and read, then destroyed.
      await client.query(
        `INSERT INTO ${this.table} (customer_id, key_id, material, created_at, erased_at) VALUES ($1, $2, NULL, $3, $3) ON CONFLICT (customer_id) DO NOTHING`,
        [customerId, tombstoneKeyId, at],
      );
      const { rows } = await client.query<{ material: Buffer | null; erased_at: Date | null }>(
        `SELECT material, erased_at FROM ${this.table} WHERE customer_id = $1 FOR UPDATE`,
        [customerId],
      );
      const row = rows[0];
      if (row.material !== null)
        await client.query(`UPDATE ${this.table} SET material = NULL, erased_at = coalesce(erased_at, $2) WHERE customer_id = $1`, [customerId, at]);
      await client.query('COMMIT');
      outcome = { destroyed: row.material !== null, erasedAt: (row.erased_at ?? at).toISOString() };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      release();
      throw toStoreError(error, 'erase a data key');
    }
    release();
    return { ...outcome, filesScrubbed: await this.rewriteTable() };
  }

  async erasedCustomers(): Promise<string[]> {
    const rows = await this.query<{ customer_id: string }>(`SELECT customer_id FROM ${this.table} WHERE erased_at IS NOT NULL ORDER BY customer_id`);
    return rows.map((row) => row.customer_id);
  }

  async page(afterCustomerId: string, limit: number): Promise<VaultKey[]> {
    const rows = await this.query<Row>(`SELECT * FROM ${this.table} WHERE customer_id > $1 ORDER BY customer_id LIMIT $2`, [afterCustomerId, limit]);
    return rows.map(toKey);
  }

  async restore(rows: readonly VaultKey[]): Promise<void> {
    if (rows.length === 0) return;
    await this.query(
      `INSERT INTO ${this.table} AS k (customer_id, key_id, material, created_at, erased_at)
       SELECT c, i, m, ca, ea FROM unnest($1::text[], $2::text[], $3::bytea[], $4::timestamptz[], $5::timestamptz[]) AS t(c, i, m, ca, ea)
       ON CONFLICT (customer_id) DO UPDATE SET material = NULL, erased_at = excluded.erased_at
       WHERE excluded.erased_at IS NOT NULL AND k.erased_at IS NULL`,
      [rows.map((r) => r.customerId), rows.map((r) => r.keyId), rows.map((r) => r.material), rows.map((r) => r.createdAt), rows.map((r) => r.erasedAt)],
    );
    if (rows.some((row) => row.erasedAt !== null)) await this.rewriteTable();
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * VACUUM FULL writes the table anew and deletes its old file, so a destroyed key's old row
   * version is in no data file. It says so only when the table's file really changed (a role that
   * does not own the table gets a warning from VACUUM, not an error).
   */
  private async rewriteTable(): Promise<boolean> {
    try {
      const node = async () => (await this.query<{ node: string }>(`SELECT pg_relation_filenode('${this.table.replace(/'/g, "''")}') AS node`))[0].node;
      const before = await node();
      await this.query(`VACUUM (FULL) ${this.table}`);
      return (await node()) !== before;
    } catch {
      return false;
    }
  }

  private async select(column: 'customer_id' | 'key_id', values: readonly string[]): Promise<Map<string, VaultKey>> {
    if (values.length === 0) return new Map();
    const rows = await this.query<Row>(`SELECT * FROM ${this.table} WHERE ${column} = ANY($1::text[])`, [values]);
    return new Map(rows.map((row) => [row.customer_id, toKey(row)]));
  }

  private async query<T extends object>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.pool.query<T>(sql, params)).rows;
    } catch (error) {
      throw toStoreError(error, 'use the key vault');
    }
  }
}

function toKey(row: Row): VaultKey {
  return {
    customerId: row.customer_id,
    keyId: row.key_id,
    material: row.material,
    createdAt: row.created_at.toISOString(),
    erasedAt: row.erased_at ? row.erased_at.toISOString() : null,
  };
}
