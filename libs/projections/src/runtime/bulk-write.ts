import type { SqlExecutor } from './sql-executor';

const ROWS_PER_STATEMENT = 100;

/**
 * Writes many rows with multi-row INSERT statements (100 rows each): per-statement overhead, not
 * the rows, dominated rebuild time. `head` is `INSERT INTO t (a, b, c)`, `tail` an optional
 * `ON CONFLICT ...` clause; works the same on SQLite and PostgreSQL. Rows with the same conflict
 * key must not appear twice in one call (PostgreSQL refuses to update a row twice in a statement).
 */
export async function insertRows(tx: SqlExecutor, head: string, rows: readonly (readonly unknown[])[], tail = ''): Promise<void> {
  if (rows.length === 0) return;
  const width = rows[0].length;
  const tuple = `(${Array(width).fill('?').join(', ')})`;
  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
    const sql = `${head} VALUES ${Array(chunk.length).fill(tuple).join(', ')} ${tail}`;
    await tx.run(sql, chunk.flat());
  }
}

/** Reads rows for many keys with `IN (...)` lists of up to 500 keys. */
export async function selectByKeys<T>(tx: SqlExecutor, sql: (placeholders: string) => string, keys: readonly unknown[]): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < keys.length; start += 500) {
    const chunk = keys.slice(start, start + 500);
    out.push(...(await tx.all<T>(sql(Array(chunk.length).fill('?').join(', ')), chunk)));
  }
  return out;
}
