import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteReadModelDatabase } from './sqlite-read-model-database';
import { QueryThread } from './query-thread';

describe('the query thread (reads that sum many rows, off the event loop)', () => {
  let dir: string;
  let db: SqliteReadModelDatabase;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-query-thread-'));
    db = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
    await db.transaction(async (tx) => {
      await tx.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL)');
      await tx.run('INSERT INTO t (k, n) VALUES (?, ?), (?, ?)', ['a', 1, 'b', 2]);
    });
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers all and get with parameters as the reader does', async () => {
    const sql = 'SELECT k, n FROM t WHERE n >= ? ORDER BY k';
    expect(await db.queries.all(sql, [1])).toEqual(await db.reader.all(sql, [1]));
    expect(await db.queries.get('SELECT n FROM t WHERE k = ?', ['b'])).toEqual({ n: 2 });
    expect(await db.queries.get('SELECT n FROM t WHERE k = ?', ['zz'])).toBeUndefined();
    expect(db.queries).toBeInstanceOf(QueryThread);
  });

  it('sees every commit made before the query was asked', async () => {
    for (let i = 0; i < 20; i++) {
      await db.transaction((tx) => tx.run('UPDATE t SET n = n + 1 WHERE k = ?', ['a']));
      expect(await db.queries.get('SELECT n FROM t WHERE k = ?', ['a'])).toEqual({ n: 2 + i });
    }
  });

  it('answers many queries in flight at once, each with its own rows', async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => db.queries.get<{ x: number }>('SELECT ? + n AS x FROM t WHERE k = ?', [i, 'b'])));
    expect(answers.map((a) => a?.x)).toEqual(Array.from({ length: 200 }, (_, i) => i + 2));
  });

  it("rejects a bad query with SQLite's message, and goes on answering", async () => {
    await expect(db.queries.all('SELECT nope FROM t')).rejects.toThrow(/no such column: nope/);
    expect(await db.queries.get('SELECT count(*) AS c FROM t')).toEqual({ c: 2 });
  });

  it('only reads', async () => {
    await expect(db.queries.run('DELETE FROM t')).rejects.toThrow(/only reads/);
    await expect(db.queries.all('DELETE FROM t RETURNING k')).rejects.toThrow(/readonly/);
    expect(await db.reader.get('SELECT count(*) AS c FROM t')).toEqual({ c: 2 });
  });

  it('starts a new thread after its thread died, and refuses queries once closed', async () => {
    const thread = new QueryThread(path.join(dir, 'read-models.db'));
    expect(await thread.get('SELECT count(*) AS c FROM t')).toEqual({ c: 2 });
    await (thread as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    expect(await thread.get('SELECT count(*) AS c FROM t')).toEqual({ c: 2 });
    await thread.close();
    await expect(thread.get('SELECT 1')).rejects.toThrow(/closed/);
  });

  it('an in-memory database has no file for a thread to open: its queries are the reader', () => {
    const memory = SqliteReadModelDatabase.open(':memory:');
    expect(memory.queries).toBe(memory.reader);
    return memory.close();
  });
});
