import * as path from 'node:path';
import type { Provider } from '@nestjs/common';
import { PostgresReadModelDatabase, READ_MODEL_DATABASE, SqliteReadModelDatabase, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';

/** Schema of the read models when JOURNEYLINE_STORE=postgres: apart from the log, so it can be dropped and rebuilt. */
export const POSTGRES_READ_MODEL_SCHEMA = 'journeyline_read';

/** Where the read models live: beside the embedded log in its own file, or in the configured database. */
export const readModelProvider: Provider = {
  provide: READ_MODEL_DATABASE,
  inject: [JOURNEYLINE_CONFIG],
  useFactory: async (config: JourneylineConfig): Promise<ReadModelDatabase> => openReadModels(config),
};

export async function openReadModels(config: JourneylineConfig): Promise<ReadModelDatabase> {
  if (config.readModelUrl) return PostgresReadModelDatabase.open({ connectionString: config.readModelUrl, schema: POSTGRES_READ_MODEL_SCHEMA });
  switch (config.store) {
    case 'sqlite':
      return SqliteReadModelDatabase.open(path.join(config.dataDir, 'read-models.db'));
    case 'postgres':
      if (!config.storeUrl) throw new Error('JOURNEYLINE_STORE_URL is required when JOURNEYLINE_STORE=postgres');
      return PostgresReadModelDatabase.open({ connectionString: config.storeUrl, schema: POSTGRES_READ_MODEL_SCHEMA });
    case 'kurrentdb':
      // KurrentDB holds the log only: without JOURNEYLINE_READ_MODEL_URL the read models stay in a
      // local SQLite file, which suits one server process (several need the Postgres URL).
      return SqliteReadModelDatabase.open(path.join(config.dataDir, 'read-models.db'));
  }
}
