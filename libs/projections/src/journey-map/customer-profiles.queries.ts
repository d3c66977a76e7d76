import { selectByKeys } from '../runtime/bulk-write';
import type { SqlExecutor } from '../runtime/sql-executor';

/**
 * Each customer's profile as the journey map keeps it (name, segment, region, ...: sealed fields
 * as stored, opened by the HTTP layer), for lists that show names beside ids. Ids are read in
 * lists of 500; a customer the journey map does not know is absent from the map.
 */
export async function customerProfiles(reader: SqlExecutor, customerIds: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const ids = [...new Set(customerIds)];
  const rows = await selectByKeys<{ customer_id: string; summary: string }>(
    reader,
    (keys) => `SELECT customer_id, summary FROM jm_customers WHERE customer_id IN (${keys})`,
    ids,
  );
  return new Map(rows.map((row) => [row.customer_id, (JSON.parse(row.summary) as { profile?: Record<string, string> }).profile ?? {}]));
}

/** True when a query failed because its read model was never set up (a table that does not exist yet). */
export function isMissingTable(error: unknown): boolean {
  return /no such table|does not exist/i.test(error instanceof Error ? error.message : String(error));
}
