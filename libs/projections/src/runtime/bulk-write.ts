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
 *
 * The rows after the last full statement go in statements of 64, 32, ..., 1 rows (73 = 64 + 8 + 1):
 * eight statement texts per table instead of one for every count from 1 to 99. The read models'
 * connections keep each text they run prepared (see `KEY_LIST_SIZES`).
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
  for (let written = 0; written < count;) {
    const rowsNow = 2 ** Math.floor(Math.log2(count - written));
    await tx.run(statementFor(head, tail, width, rowsNow), params.slice(written * width, (written + rowsNow) * width));
    written += rowsNow;
  }
}

/**
 * The lengths a key list is padded to: a statement of 37 keys is run as one of 64, the rest NULL
 * (which no `IN` matches). The read models' connections keep every statement text they run
 * prepared, and an unpadded list made one text per length, up to 500 per query: a rebuild of the
 * 100,000-customer benchmark log left 600 to 800 of them on the journey map's connection, tens of
 * MiB of compiled statements (more with more customers), each length prepared anew.
 */
const KEY_LIST_SIZES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 500] as const;
/** Keys a statement holds at most: the longest padded length. */
const KEYS_PER_STATEMENT = KEY_LIST_SIZES[KEY_LIST_SIZES.length - 1];

/** `keys` with NULLs after them up to the next of KEY_LIST_SIZES. */
function paddedKeys<K>(keys: readonly K[], nothing: K): K[] {
  const size = KEY_LIST_SIZES.find((s) => s >= keys.length) ?? keys.length;
  return size === keys.length ? [...keys] : [...keys, ...Array<K>(size - keys.length).fill(nothing)];
}

/** Reads rows for many keys with `IN (...)` lists of up to 500 keys (padded with NULLs to one of a few lengths). */
export async function selectByKeys<T>(tx: SqlExecutor, sql: (placeholders: string) => string, keys: readonly unknown[]): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
    const chunk = paddedKeys(keys.slice(start, start + KEYS_PER_STATEMENT), null);
    out.push(...(await tx.all<T>(sql(Array(chunk.length).fill('?').join(', ')), chunk)));
  }
  return out;
}

/**
 * Runs `work` over keys of several columns (each key the values of the same columns, in order),
 * 500 keys a statement: `values` is the statement's `(?, ?), (?, ?)` list for `... IN (VALUES
 * ${values})`, `params` the keys' values in that order, padded with keys of NULLs (which no `IN`
 * matches) to one of a few lengths. For single values, selectByKeys.
 */
export async function forKeyChunks(keys: readonly (readonly unknown[])[], work: (values: string, params: unknown[]) => Promise<void>): Promise<void> {
  if (keys.length === 0) return;
  const tuple = `(${keys[0].map(() => '?').join(', ')})`;
  const nothing = keys[0].map(() => null);
  for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
    const chunk = paddedKeys(keys.slice(start, start + KEYS_PER_STATEMENT), nothing);
    await work(chunk.map(() => tuple).join(', '), chunk.flat());
  }
}
