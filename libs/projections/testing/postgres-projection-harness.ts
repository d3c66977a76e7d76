import { PostgresEventStore } from '@journeyline/event-store';
import { adminPool, dropSchema, testPostgresUrl, uniqueSchema } from '@journeyline/event-store/testing/postgres-test-support';
import { recordCustomerEvents } from '@journeyline/recording';
import type { CustomerCommand } from '@journeyline/journey';
import { PostgresReadModelDatabase } from '@journeyline/projections/postgres/postgres-read-model-database';
import { PersonalData, PostgresKeyVault } from '@journeyline/privacy';

/**
 * The Postgres twin of `sqliteHarness`: an event store and any number of read-model databases on
 * the test server, each in a fresh schema that `close()` drops.
 */
export async function postgresHarness() {
  const admin = adminPool();
  const schemas: string[] = [];
  const databases: PostgresReadModelDatabase[] = [];
  const storeSchema = uniqueSchema('jl_pes');
  schemas.push(storeSchema);
  const store = await PostgresEventStore.open({ connectionString: testPostgresUrl(), schema: storeSchema, maxConnections: 4 });
  const personal = new PersonalData(await PostgresKeyVault.open({ connectionString: testPostgresUrl(), schema: storeSchema }), {
    masterKey: null,
    personalPortrait: [],
  });
  return {
    store,
    personal,
    async readModels(): Promise<PostgresReadModelDatabase> {
      const schema = uniqueSchema('jl_prm');
      schemas.push(schema);
      const db = await PostgresReadModelDatabase.open({ connectionString: testPostgresUrl(), schema, maxConnections: 4 });
      databases.push(db);
      return db;
    },
    async record(commands: CustomerCommand[]) {
      return recordCustomerEvents(store, commands, { personal });
    },
    async close() {
      for (const db of databases) await db.close();
      await personal.vault.close();
      await store.close();
      for (const schema of schemas) await dropSchema(admin, schema);
      await admin.end();
    },
  };
}
