/**
 * The PostgreSQL plumbing the event store's adapter shares with the read models' (pool, schema
 * migrations, which failures mean "unavailable"): imported as `@journeyline/event-store/postgres`
 * by the PostgreSQL read-model database only, never through the port's index.
 */
export { checkOut, createPool, type CheckedOutClient } from './postgres-pool';
export { isPostgresUnavailable, toStoreError } from './postgres-unavailable';
export { migrate, type Migration, type MigrationOutcome } from './postgres-migrations';
