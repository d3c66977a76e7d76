import { customerIdOf } from '@journeyline/journey';
import type { ProjectedEvent, Projection } from '../runtime/projection';
import { insertRows } from '../runtime/bulk-write';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/**
 * Purchases in VND, one row per purchase (`customer_purchases`), for a customer's value: what they
 * bought over a window (the churn-risk list's priority). Other currencies are left out: amounts are
 * never converted. Keyed by event id (ON CONFLICT DO NOTHING), so a batch applied twice counts once.
 */
export class CustomerValueProjection implements Projection {
  readonly name = 'customer-value';
  readonly eventTypes: ReadonlySet<string> = new Set(['PurchaseMade']);
  readonly version = '1';
  readonly tables = ['customer_purchases'] as const;
  readonly queryIndexes = ['CREATE INDEX IF NOT EXISTS customer_purchases_customer ON customer_purchases (customer_id, at)'];

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS customer_purchases (
        event_id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        at BIGINT NOT NULL,
        amount DOUBLE PRECISION NOT NULL
      )${clusteredByKey(tx)};
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  async apply(events: readonly ProjectedEvent[], tx: SqlExecutor): Promise<void> {
    const rows = new Map<string, unknown[]>();
    for (const event of events) {
      if (event.type !== 'PurchaseMade') continue;
      const customerId = customerIdOf(event.streamId);
      if (customerId === null || (event.data.currency ?? 'VND') !== 'VND') continue;
      rows.set(event.eventId, [event.eventId, customerId, Date.parse(event.occurredAt), event.data.amount]);
    }
    await insertRows(tx, 'INSERT INTO customer_purchases (event_id, customer_id, at, amount)', [...rows.values()], 'ON CONFLICT (event_id) DO NOTHING');
  }
}

/** What each customer bought, in VND, at or after `since`: customers without a purchase are absent. */
export function customerValueSql(): string {
  return 'SELECT customer_id, SUM(amount) AS value FROM customer_purchases WHERE at >= ? GROUP BY customer_id';
}
