import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { useWriteAheadLog } from './write-ahead-log';

const busy = (): never => {
  throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
};

/** A connection whose pragma answers from a script, recording what it was asked. */
function scripted(answers: (() => unknown)[]) {
  const asked: string[] = [];
  return {
    asked,
    pragma: ((source: string) => {
      asked.push(source);
      return answers.shift()!();
    }) as unknown as BetterSqlite3.Database['pragma'],
  };
}

describe('useWriteAheadLog', () => {
  it('turns a new file to WAL, and leaves a file already in WAL mode as it is', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-wal-'));
    try {
      const db = new BetterSqlite3(path.join(dir, 'x.db'));
      useWriteAheadLog(db);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      db.close();
      const again = scripted([() => 'wal']);
      useWriteAheadLog(again);
      expect(again.asked).toEqual(['journal_mode']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('waits out "database is locked" from another process opening the file at the same moment', () => {
    const db = scripted([busy, () => 'delete', busy, () => 'delete', () => 'wal']);
    useWriteAheadLog(db);
    expect(db.asked).toEqual(['journal_mode', 'journal_mode', 'journal_mode = WAL', 'journal_mode', 'journal_mode = WAL']);
  });

  it('gives up on a lock held past the timeout, and never retries other errors', () => {
    const started = Date.now();
    const locked = scripted(Array.from({ length: 100 }, () => busy));
    expect(() => useWriteAheadLog(locked, 100)).toThrow('database is locked');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(locked.asked.length).toBeGreaterThan(1);

    const corrupt = scripted([
      () => {
        throw Object.assign(new Error('file is not a database'), { code: 'SQLITE_NOTADB' });
      },
    ]);
    expect(() => useWriteAheadLog(corrupt)).toThrow('file is not a database');
    expect(corrupt.asked).toEqual(['journal_mode']);
  });
});
