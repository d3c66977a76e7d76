import { customerIdOf } from '@journeyline/journey';
import type { ProjectedEvent, Projection } from '../runtime/projection';
import { insertRows } from '../runtime/bulk-write';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';
import { SEARCH_FIELDS, valueTokens, type SearchField } from './search-tokens';

/** What the search index needs of the personal data (PersonalData has both). */
export interface SearchablePersonalData {
  /** Opens sealed values (null where the customer was erased). */
  reveal<T>(value: T): Promise<T>;
  /** The key of the blind index (searchIndexKey of the master key). */
  readonly searchKey: Buffer;
}

/**
 * The customer search's blind index (`customer_search`): per customer and field, the keyed hashes
 * of the prefixes of their name's words, their e-mail and their phone (search-tokens.ts), never
 * the values. It opens the sealed values of CustomerProfiled through the key vault, so a rebuild
 * finds nothing for an erased customer (their key is gone), and CustomerErased deletes what the
 * customer had. A field given again replaces that field's tokens (last in the log wins).
 * Idempotent: a field's tokens are deleted before they are written.
 *
 * It opens the vault of the process that runs it, so a parallel rebuild keeps it on the main thread.
 */
export class CustomerSearchProjection implements Projection {
  readonly name = 'customer-search';
  readonly eventTypes: ReadonlySet<string> = new Set(['CustomerProfiled', 'CustomerErased']);
  readonly version = '1';
  readonly tables = ['customer_search'] as const;
  readonly rebuildsInPlace = true;

  constructor(private readonly personal: SearchablePersonalData) {}

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS customer_search (
        token TEXT NOT NULL,
        customer_id TEXT NOT NULL,
        field TEXT NOT NULL,
        PRIMARY KEY (token, customer_id)
      )${clusteredByKey(tx)};
      CREATE INDEX IF NOT EXISTS customer_search_customer ON customer_search (customer_id, field);
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  /** Their tokens were made while their key could still be opened (a copy made before the erasure): none now, as a replay would make. */
  async forget(customerIds: readonly string[], tx: SqlExecutor): Promise<void> {
    for (const customerId of customerIds) await tx.run('DELETE FROM customer_search WHERE customer_id = ?', [customerId]);
  }

  async apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    const erased = new Set<string>();
    /** customer → field → the sealed value last given in this batch. */
    const given = new Map<string, Map<SearchField, string>>();
    for (const event of events) {
      const customerId = customerIdOf(event.streamId);
      if (customerId === null) continue;
      if (event.type === 'CustomerErased') {
        erased.add(customerId);
        given.delete(customerId);
      } else if (event.type === 'CustomerProfiled') {
        const data = event.data as Record<string, unknown>;
        for (const field of SEARCH_FIELDS) {
          const value = Object.prototype.hasOwnProperty.call(data, field) ? data[field] : undefined;
          if (typeof value !== 'string') continue;
          if (!given.has(customerId)) given.set(customerId, new Map());
          given.get(customerId)!.set(field, value);
        }
      }
    }
    for (const customerId of erased) await tx.run('DELETE FROM customer_search WHERE customer_id = ?', [customerId]);
    if (given.size === 0) return;
    const entries = [...given].flatMap(([customerId, fields]) => [...fields].map(([field, sealed]) => ({ customerId, field, sealed })));
    const opened = await this.personal.reveal(entries.map((e) => e.sealed));
    const rows = new Map<string, unknown[]>();
    for (const [i, { customerId, field }] of entries.entries()) {
      await tx.run('DELETE FROM customer_search WHERE customer_id = ? AND field = ?', [customerId, field]);
      const value = opened[i] as string | null;
      if (typeof value !== 'string') continue;
      for (const token of valueTokens(this.personal.searchKey, field, value)) rows.set(`${token}\u0000${customerId}`, [token, customerId, field]);
    }
    await insertRows(tx, 'INSERT INTO customer_search (token, customer_id, field)', [...rows.values()], 'ON CONFLICT (token, customer_id) DO NOTHING');
  }
}
