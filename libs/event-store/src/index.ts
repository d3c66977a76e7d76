export * from './event-store.port';
export * from './event-store.errors';
export { isTransientError } from './transient-errors';
export { SqliteEventStore, SQLITE_WAL_AUTOCHECKPOINT_PAGES, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { yieldToEventLoop } from './sqlite/yield-to-event-loop';
export { useWriteAheadLog } from './sqlite/write-ahead-log';
export { PostgresEventStore, migrateEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { type AppendListener, type AppendNotice } from './postgres/postgres-notifications';
export { KurrentDbEventStore, type KurrentDbAppendNotice, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
