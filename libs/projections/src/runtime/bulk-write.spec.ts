import type { ReadModelDatabase } from './sql-executor';
import type { SqlExecutor } from './sql-executor';
import { forKeyChunks, insertRows, selectByKeys } from './bulk-write';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { postgresHarness } from '@journeyline/projections/testing/postgres-projection-harness';

/** The executor, with the statement texts it was given counted (each one a prepared statement the connection keeps). */
function counting(tx: SqlExecutor): { tx: SqlExecutor; texts: Set<string> } {
  const texts = new Set<string>();
  const seen = (sql: string) => void texts.add(sql);
  return {
    texts,
    tx: {
      dialect: tx.dialect,
      run: (sql, params) => (seen(sql), tx.run(sql, params)),
      exec: (sql) => tx.exec(sql),
      all: (sql, params) => (seen(sql), tx.all(sql, params)),
      get: (sql, params) => (seen(sql), tx.get(sql, params)),
    },
  };
}

/** Row counts around every boundary: none, one, the powers of two, a statement's 100 and past it. */
const COUNTS = [0, 1, 2, 3, 7, 37, 64, 99, 100, 101, 173, 250, 501, 1037];

async function bulkWrites(db: ReadModelDatabase): Promise<void> {
  await db.transaction(async (raw) => {
    await raw.exec('CREATE TABLE bulk_rows (n TEXT NOT NULL, k TEXT NOT NULL, v TEXT, PRIMARY KEY (n, k))');
    const { tx, texts } = counting(raw);
    for (const count of COUNTS) {
      const rows = Array.from({ length: count }, (_, i): [string, string, string | null] => [String(count), `k${i}`, i % 3 === 0 ? null : `v${i}`]);
      await insertRows(tx, 'INSERT INTO bulk_rows (n, k, v)', rows);
      const stored = await raw.all<{ k: string; v: string | null }>('SELECT k, v FROM bulk_rows WHERE n = ?', [String(count)]);
      const byKey = (a: { k: string }, b: { k: string }) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0);
      expect(stored.sort(byKey)).toEqual(rows.map(([, k, v]) => ({ k, v })).sort(byKey));
    }
    // 100 rows a statement, the rest in 64, 32, ..., 1: eight texts for every count there is
    expect(texts.size).toBeLessThanOrEqual(8);

    texts.clear();
    const all = await raw.all<{ n: string; k: string }>('SELECT n, k FROM bulk_rows ORDER BY n, k');
    for (const length of [...Array.from({ length: 33 }, (_, i) => i + 1), 99, 500, 501, 777, 1037]) {
      // half of the keys asked for exist, half do not; NULL padding matches nothing
      const wanted = all.slice(0, Math.ceil(length / 2)).map((r) => `${r.n}/${r.k}`);
      const keys = [...wanted, ...Array.from({ length: length - wanted.length }, (_, i) => `missing-${i}`)];
      const found = await selectByKeys<{ id: string }>(tx, (list) => `SELECT n || '/' || k AS id FROM bulk_rows WHERE n || '/' || k IN (${list})`, keys);
      expect(found.map((r) => r.id).sort()).toEqual([...wanted].sort());

      const pairs = keys.map((key) => (key.includes('/') ? key.split('/') : ['none', key]));
      const inPairs: string[] = [];
      await forKeyChunks(pairs, async (values, params) => {
        const rows = await tx.all<{ n: string; k: string }>(`SELECT n, k FROM bulk_rows WHERE (n, k) IN (VALUES ${values})`, params);
        inPairs.push(...rows.map((r) => `${r.n}/${r.k}`));
      });
      expect(inPairs.sort()).toEqual([...wanted].sort());
    }
    // lists padded to 1, 2, 4, ..., 256 or 500 keys: at most ten texts a query (38 lengths were asked)
    expect(texts.size).toBeLessThanOrEqual(20);

    // a DELETE by padded key lists removes exactly the keys named
    const doomed = all.filter((r) => r.n === '173').map((r) => [r.n, r.k]);
    await forKeyChunks(doomed, (values, params) => tx.run(`DELETE FROM bulk_rows WHERE (n, k) IN (VALUES ${values})`, params));
    expect(Number((await raw.get<{ c: number }>('SELECT count(*) AS c FROM bulk_rows'))?.c)).toBe(all.length - 173);
    await raw.exec('DROP TABLE bulk_rows');
  });
}

describe('bulk writes and key lists (insertRows, selectByKeys, forKeyChunks)', () => {
  it('on SQLite: every row written and found, through a few statement texts whatever the counts', async () => {
    await withHarness(sqliteHarness(), async (h) => bulkWrites(h.readModels()));
  });

  it('on PostgreSQL: the same', async () => {
    await withHarness(await postgresHarness(), async (h) => bulkWrites(await h.readModels()));
  });
});
