import type { Database } from 'better-sqlite3';

/**
 * Puts a SQLite file in WAL mode, waiting for other processes that open it at the same moment.
 * The switch takes a lock SQLite does not always wait for (it answers "database is locked" at once
 * where waiting could deadlock): two Kafka workers started together on a new data dir had one of
 * them fail to start that way (seen in CI). A file already in WAL mode is left as it is; a busy
 * answer is retried for up to `timeoutMs`. An in-memory database stays in 'memory' mode.
 */
export function useWriteAheadLog(db: Pick<Database, 'pragma'>, timeoutMs = 5000): void {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 200)) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const busy = String((error as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY');
      if (!busy || Date.now() + pause > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause); // open() is synchronous: so is its wait
    }
  }
}
