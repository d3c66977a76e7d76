import { selectByKeys } from '../runtime/bulk-write';
import type { SqlExecutor } from '../runtime/sql-executor';

/** The table of merges in force: one row per customer merged into another (an edge toward the person it belongs to). */
export const MERGES_TABLE = 'jm_merges';

/**
 * Who is whom. A merge (`CustomerMerged` in the stream of the customer who stays) links a
 * customer to the one it joins; a person is a customer linked to no one, with everyone linked to
 * it, directly or along a chain (a → b, b → c: a, b and c are the person c). An unmerge removes
 * the link. The graph stays a forest: a customer already linked elsewhere, or a link that would
 * close a loop, is not linked again (the event stays in the log; it just changes nothing here).
 *
 * Links are written to `jm_merges` as they are made, in the projection's transaction; parents
 * read once are kept for the transaction.
 */
export class PersonGraph {
  private readonly parents = new Map<string, string | null>();

  constructor(private readonly tx: SqlExecutor) {}

  /** Reads the links of these customers and of everyone above them. */
  async load(customerIds: Iterable<string>): Promise<void> {
    let pending = [...new Set(customerIds)].filter((id) => !this.parents.has(id));
    while (pending.length > 0) {
      const rows = await selectByKeys<{ from_id: string; into_id: string }>(
        this.tx,
        (keys) => `SELECT from_id, into_id FROM ${MERGES_TABLE} WHERE from_id IN (${keys})`,
        pending,
      );
      const found = new Map(rows.map((r) => [r.from_id, r.into_id]));
      for (const id of pending) this.parents.set(id, found.get(id) ?? null);
      pending = [...new Set(rows.map((r) => r.into_id))].filter((id) => !this.parents.has(id));
    }
  }

  /** The person a loaded customer belongs to (itself when linked to no one). */
  personOf(customerId: string): string {
    let current = customerId;
    for (let steps = 0; steps < 10_000; steps++) {
      const parent = this.parents.get(current);
      if (parent === undefined || parent === null) return current;
      current = parent;
    }
    throw new Error(`the merges above ${customerId} do not end: the merge table holds a loop`);
  }

  /** Links `from` to `into`; false when it changes nothing (already linked, linked elsewhere, the same person, or itself). */
  async merge(from: string, into: string, position: number): Promise<boolean> {
    await this.load([from, into]);
    if (from === into || this.parents.get(from) !== null || this.personOf(into) === from) return false;
    await this.tx.run(`INSERT INTO ${MERGES_TABLE} (from_id, into_id, position) VALUES (?, ?, ?)`, [from, into, position]);
    this.parents.set(from, into);
    return true;
  }

  /** Removes the link `from` → `into`; false when there is none. */
  async unmerge(from: string, into: string): Promise<boolean> {
    await this.load([from]);
    if (this.parents.get(from) !== into) return false;
    await this.tx.run(`DELETE FROM ${MERGES_TABLE} WHERE from_id = ?`, [from]);
    this.parents.set(from, null);
    return true;
  }

  /** Everyone who is the person `person` (itself first), as the table says now. */
  async members(person: string): Promise<string[]> {
    return membersOf(this.tx, person);
  }
}

/** The person a customer belongs to, read from the table (the read side: journey answers). */
export async function personOf(reader: SqlExecutor, customerId: string): Promise<string> {
  const graph = new PersonGraph(reader);
  await graph.load([customerId]);
  return graph.personOf(customerId);
}

/** Everyone linked to `person`, directly or along a chain, with `person` first. */
export async function membersOf(reader: SqlExecutor, person: string): Promise<string[]> {
  const rows = await reader.all<{ id: string }>(
    `WITH RECURSIVE m(id) AS (SELECT CAST(? AS TEXT) UNION SELECT j.from_id FROM ${MERGES_TABLE} j JOIN m ON j.into_id = m.id) SELECT id FROM m`,
    [person],
  );
  const others = rows.map((r) => r.id).filter((id) => id !== person);
  return [person, ...others.sort()];
}
