export * from './event-store.port';
export * from './event-store.errors';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { PostgresEventStore, migrateEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { type AppendListener, type AppendNotice } from './postgres/postgres-notifications';
export { checkOut, createPool, type CheckedOutClient } from './postgres/postgres-pool';
export { isPostgresUnavailable, toStoreError } from './postgres/postgres-unavailable';
export { migrate, type Migration, type MigrationOutcome } from './postgres/postgres-migrations';
export { KurrentDbEventStore, type KurrentDbAppendNotice, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
