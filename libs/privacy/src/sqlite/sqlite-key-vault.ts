import BetterSqlite3, { type Database } from 'better-sqlite3';
import { SQLITE_WAL_AUTOCHECKPOINT_PAGES } from '@journeyline/event-store/sqlite/sqlite-event-store';
import type { ErasureOutcome, KeyVault, NewDataKey, VaultKey } from '../key-vault.port';

type Row = { customer_id: string; key_id: string; material: Buffer | null; created_at: string; erased_at: string | null };

const CHUNK = 500;

/**
 * The data keys in the embedded store's own file (table `customer_keys` beside `events`), on a
 * connection of their own with secure_delete on: a destroyed key's bytes are overwritten in the
 * page, and the write-ahead log that still holds its earlier pages is checkpointed and truncated.
 */
export class SqliteKeyVault implements KeyVault {
  readonly name = 'sqlite';

  private constructor(private readonly db: Database) {}

  static open(filename: string, busyTimeoutMs = 5000): SqliteKeyVault {
    const db = new BetterSqlite3(filename);
    try {
      db.pragma(`busy_timeout = ${busyTimeoutMs}`);
      db.pragma('journal_mode = WAL');
      // The file's log is the event store's: checkpoint it as seldom as the store does, or this
      // connection's commits would do the store's checkpoints at SQLite's default 1,000 pages.
      db.pragma(`wal_autocheckpoint = ${SQLITE_WAL_AUTOCHECKPOINT_PAGES}`);
      db.pragma('secure_delete = ON');
      db.exec(`CREATE TABLE IF NOT EXISTS customer_keys (
        customer_id TEXT PRIMARY KEY,
        key_id      TEXT NOT NULL UNIQUE,
        material    BLOB,
        created_at  TEXT NOT NULL,
        erased_at   TEXT
      )`);
      return new SqliteKeyVault(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async keysFor(customerIds: readonly string[], create: () => NewDataKey): Promise<Map<string, VaultKey>> {
    const ids = [...new Set(customerIds)];
    const found = this.select('customer_id', ids);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) {
      const insert = this.db.prepare('INSERT OR IGNORE INTO customer_keys (customer_id, key_id, material, created_at) VALUES (?, ?, ?, ?)');
      const now = new Date().toISOString();
      this.db
        .transaction(() => {
          for (const id of missing) {
            const key = create();
            insert.run(id, key.keyId, key.material, now);
          }
        })
        .immediate();
      for (const [id, row] of this.select('customer_id', missing)) found.set(id, row);
    }
    return found;
  }

  async byKeyIds(keyIds: readonly string[]): Promise<Map<string, VaultKey>> {
    const byCustomer = this.select('key_id', [...new Set(keyIds)]);
    return new Map([...byCustomer.values()].map((row) => [row.keyId, row]));
  }

  async find(customerId: string): Promise<VaultKey | null> {
    return this.select('customer_id', [customerId]).get(customerId) ?? null;
  }

  async erase(customerId: string, at: Date, tombstoneKeyId: string): Promise<ErasureOutcome> {
    const erasedAt = at.toISOString();
    const outcome = this.db
      .transaction((): { destroyed: boolean; erasedAt: string } => {
        const row = this.db.prepare<[string], Row>('SELECT * FROM customer_keys WHERE customer_id = ?').get(customerId);
        if (!row) {
          this.db
            .prepare('INSERT INTO customer_keys (customer_id, key_id, material, created_at, erased_at) VALUES (?, ?, NULL, ?, ?)')
            .run(customerId, tombstoneKeyId, erasedAt, erasedAt);
          return { destroyed: false, erasedAt };
        }
        if (row.erased_at !== null) return { destroyed: false, erasedAt: row.erased_at };
        this.db.prepare('UPDATE customer_keys SET material = NULL, erased_at = ? WHERE customer_id = ?').run(erasedAt, customerId);
        return { destroyed: row.material !== null, erasedAt };
      })
      .immediate();
    return { ...outcome, filesScrubbed: this.truncateWriteAheadLog() };
  }

  async erasedCustomers(): Promise<string[]> {
    return this.db
      .prepare<[], { customer_id: string }>('SELECT customer_id FROM customer_keys WHERE erased_at IS NOT NULL ORDER BY customer_id')
      .all()
      .map((row) => row.customer_id);
  }

  async page(afterCustomerId: string, limit: number): Promise<VaultKey[]> {
    return this.db
      .prepare<[string, number], Row>('SELECT * FROM customer_keys WHERE customer_id > ? ORDER BY customer_id LIMIT ?')
      .all(afterCustomerId, limit)
      .map(toKey);
  }

  async restore(rows: readonly VaultKey[]): Promise<void> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO customer_keys (customer_id, key_id, material, created_at, erased_at) VALUES (?, ?, ?, ?, ?)');
    const erase = this.db.prepare('UPDATE customer_keys SET material = NULL, erased_at = ? WHERE customer_id = ? AND erased_at IS NULL');
    this.db
      .transaction(() => {
        for (const row of rows) {
          insert.run(row.customerId, row.keyId, row.material, row.createdAt, row.erasedAt);
          if (row.erasedAt !== null) erase.run(row.erasedAt, row.customerId);
        }
      })
      .immediate();
    if (rows.some((row) => row.erasedAt !== null)) this.truncateWriteAheadLog();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private select(column: 'customer_id' | 'key_id', values: readonly string[]): Map<string, VaultKey> {
    const result = new Map<string, VaultKey>();
    for (let i = 0; i < values.length; i += CHUNK) {
      const chunk = values.slice(i, i + CHUNK);
      const rows = this.db.prepare<string[], Row>(`SELECT * FROM customer_keys WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`).all(...chunk);
      for (const row of rows) result.set(row.customer_id, toKey(row));
    }
    return result;
  }

  /**
   * The pages that held the key before are still in the write-ahead log until a checkpoint copies
   * the new ones over them and the log is truncated. A reader in the middle of a long read can hold
   * the checkpoint back: then the log is truncated at the next erasure or checkpoint.
   */
  private truncateWriteAheadLog(): boolean {
    for (let attempt = 0; attempt < 20; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy === 0) return true;
    }
    return false;
  }
}

function toKey(row: Row): VaultKey {
  return { customerId: row.customer_id, keyId: row.key_id, material: row.material, createdAt: row.created_at, erasedAt: row.erased_at };
}
