import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteReadModelDatabase } from './sqlite-read-model-database';

/** The read-model file's two modes: the live one (write-ahead log) and scratch (an as-of replay's copy). */
describe('SqliteReadModelDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-read-models-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const journalMode = async (db: SqliteReadModelDatabase) => (await db.reader.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode;

  it('live: a write-ahead log, readers see each commit', async () => {
    const db = SqliteReadModelDatabase.open(path.join(dir, 'live.db'));
    await db.transaction((tx) => tx.exec('CREATE TABLE t (n INTEGER)'));
    await db.transaction((tx) => tx.run('INSERT INTO t VALUES (?)', [1]));
    expect(await journalMode(db)).toBe('wal');
    expect(await db.transaction((tx) => tx.get('PRAGMA cache_size'))).toEqual({ cache_size: -32768 });
    expect(await db.reader.all('SELECT n FROM t')).toEqual([{ n: 1 }]);
    await db.close();
  });

  it('scratch: no write-ahead log, yet a savepoint rolls back (the projector parks a failed event so) and commits stay after a reopen; its journal is a file, gone after each commit', async () => {
    const file = path.join(dir, 'scratch.db');
    // a copy of a live file (in WAL mode) is opened as scratch
    const live = SqliteReadModelDatabase.open(file);
    await live.transaction((tx) => tx.exec('CREATE TABLE t (n INTEGER)'));
    await live.close();

    const db = SqliteReadModelDatabase.open(file, { scratch: true });
    await db.transaction(async (tx) => {
      await tx.run('INSERT INTO t VALUES (?)', [1]);
      // the originals of the pages a transaction changes go to a file, not to memory (a long one over a large copy changes many)
      expect(await tx.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'delete' });
      expect(fs.existsSync(`${file}-journal`)).toBe(true);
      // a replay's speed is the projections' CPU, not page reads: a small page cache
      expect(await tx.get('PRAGMA cache_size')).toEqual({ cache_size: -8192 });
      await tx.exec('SAVEPOINT apply');
      await tx.run('INSERT INTO t VALUES (?)', [2]);
      await tx.exec('ROLLBACK TO SAVEPOINT apply');
      await tx.exec('RELEASE SAVEPOINT apply');
      await tx.run('INSERT INTO t VALUES (?)', [3]);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO t VALUES (?)', [4]);
        throw new Error('a failed batch');
      }),
    ).rejects.toThrow('a failed batch');
    // the file left WAL mode
    expect(await journalMode(db)).toBe('delete');
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(`${file}-journal`)).toBe(false);
    expect(await db.reader.all('SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }, { n: 3 }]);
    await db.close();

    const reopened = SqliteReadModelDatabase.open(file, { scratch: true });
    expect(await reopened.reader.all('SELECT n FROM t ORDER BY n')).toEqual([{ n: 1 }, { n: 3 }]);
    await reopened.close();
  });
});
