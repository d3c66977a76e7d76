import type { SqlExecutor } from './sql-executor';

const ROWS_PER_STATEMENT = 100;

/** Statement texts by shape: a rebuild writes tens of thousands of chunks of a few shapes. */
const statements = new Map<string, string>();

function statementFor(head: string, tail: string, width: number, rows: number): string {
  const shape = `${rows}\u0000${width}\u0000${head}\u0000${tail}`;
  let sql = statements.get(shape);
  if (sql === undefined) {
    const tuple = `(${Array(width).fill('?').join(', ')})`;
    sql = `${head} VALUES ${Array(rows).fill(tuple).join(', ')} ${tail}`;
    if (statements.size > 10_000) statements.clear();
    statements.set(shape, sql);
  }
  return sql;
}

/**
 * Writes many rows with multi-row INSERT statements (100 rows each): per-statement overhead, not
 * the rows, dominated rebuild time. `head` is `INSERT INTO t (a, b, c)`, `tail` an optional
 * `ON CONFLICT ...` clause; works the same on SQLite and PostgreSQL. Rows with the same conflict
 * key must not appear twice in one call (PostgreSQL refuses to update a row twice in a statement).
 */
export async function insertRows(tx: SqlExecutor, head: string, rows: Iterable<readonly unknown[]>, tail = ''): Promise<void> {
  // rows may be made one at a time (a generator): only one statement's worth is held at once
  let params: unknown[] = [];
  let count = 0;
  let width = 0;
  for (const row of rows) {
    if (count > 0 && row.length !== width) throw new Error(`insertRows: a row of ${row.length} values among rows of ${width} (${head})`);
    width = row.length;
    for (let c = 0; c < width; c++) params.push(row[c]);
    if (++count === ROWS_PER_STATEMENT) {
      await tx.run(statementFor(head, tail, width, count), params);
      params = [];
      count = 0;
    }
  }
  if (count > 0) await tx.run(statementFor(head, tail, width, count), params);
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

/**
 * Runs `work` over keys of several columns (each key the values of the same columns, in order),
 * 500 keys a statement: `values` is the statement's `(?, ?), (?, ?)` list for `... IN (VALUES
 * ${values})`, `params` the keys' values in that order. For single values, selectByKeys.
 */
export async function forKeyChunks(keys: readonly (readonly unknown[])[], work: (values: string, params: unknown[]) => Promise<void>): Promise<void> {
  if (keys.length === 0) return;
  const tuple = `(${keys[0].map(() => '?').join(', ')})`;
  for (let start = 0; start < keys.length; start += 500) {
    const chunk = keys.slice(start, start + 500);
    await work(chunk.map(() => tuple).join(', '), chunk.flat());
  }
}
