import type { Database } from 'better-sqlite3';

/**
 * Versioned in a `schema_version` row of its own rather than `PRAGMA user_version`: the file is
 * shared with the projections' read models, and one file-wide number cannot version both.
 */
const COMPONENT = 'event-store';

/** Append only: index i upgrades a database from version i to i + 1. Never edit a shipped step. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE IF NOT EXISTS events (
    -- AUTOINCREMENT so a position is never handed out twice, even if the newest rows vanished.
    position    INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id   TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    event_id    TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL, -- canonical JSON, compared byte for byte on idempotent retries
    occurred_at TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream_id, revision) -- also the index that reads a stream and finds its revision
  ) STRICT;
  `,
];

export const SQLITE_EVENT_STORE_SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file up to this build's schema; safe to run from several processes at once. */
export function migrateEventStoreSchema(db: Database): void {
  // IMMEDIATE takes the write lock before reading the version, so two processes starting together
  // cannot both decide to run the same step.
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      component TEXT PRIMARY KEY,
      version   INTEGER NOT NULL
    ) STRICT`);
    const row = db.prepare('SELECT version FROM schema_version WHERE component = ?').get(COMPONENT) as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`event store schema is at version ${current}, newer than this build knows (${MIGRATIONS.length}); upgrade Journeyline`);
    }
    for (let version = current; version < MIGRATIONS.length; version++) db.exec(MIGRATIONS[version]);
    db.prepare(
      `INSERT INTO schema_version (component, version) VALUES (?, ?)
       ON CONFLICT (component) DO UPDATE SET version = excluded.version`,
    ).run(COMPONENT, MIGRATIONS.length);
  }).immediate();
}
