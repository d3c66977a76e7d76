import type { StoredEvent } from '@journeyline/event-store';
import { readTouchpointRegistered, TOUCHPOINT_REGISTERED, type TouchpointRegistered } from '@journeyline/journey';
import { insertRows } from '../runtime/bulk-write';
import type { Projection } from '../runtime/projection';
import { clusteredByKey, type SqlExecutor } from '../runtime/sql-executor';

/**
 * The touchpoint catalog as it stands: one row per registered touchpoint, its latest version
 * (`TouchpointRegistered` records of the `journeyline-touchpoints` stream, which are not journey
 * events: `recordTypes`). Metrics by experience type or owner join `tp_catalog` with the
 * touchpoint day buckets at query time; other read sides read it through `catalogEntries`. A row
 * only ever moves to a higher version, so applying a record twice, or an older one after a newer
 * one, changes nothing. SQL portable to PostgreSQL.
 */
export class TouchpointCatalogProjection implements Projection {
  readonly name = 'touchpoint-catalog';
  readonly eventTypes: ReadonlySet<string> = new Set();
  readonly recordTypes: ReadonlySet<string> = new Set([TOUCHPOINT_REGISTERED]);
  readonly version = '1';
  readonly tables = ['tp_catalog'] as const;

  async setup(tx: SqlExecutor): Promise<void> {
    await tx.exec(`
      CREATE TABLE IF NOT EXISTS tp_catalog (
        touchpoint TEXT PRIMARY KEY,
        name_vi TEXT NOT NULL,
        name_en TEXT NOT NULL,
        channel TEXT NOT NULL,
        stage TEXT NOT NULL,
        owner TEXT NOT NULL,
        experience_type TEXT NOT NULL,
        version INTEGER NOT NULL,
        updated_at TEXT NOT NULL
      )${clusteredByKey(tx)};
    `);
  }

  async teardown(tx: SqlExecutor): Promise<void> {
    for (const table of this.tables) await tx.exec(`DROP TABLE IF EXISTS ${table}`);
  }

  /** It folds no journey events. */
  async apply(): Promise<void> {}

  async applyRecords(records: readonly StoredEvent[], tx: SqlExecutor): Promise<void> {
    const latest = new Map<string, { registered: TouchpointRegistered; at: string }>();
    for (const record of records) {
      const registered = readTouchpointRegistered(record.data);
      if (registered === null)
        throw new Error(
          `malformed ${TOUCHPOINT_REGISTERED} ${record.eventId}: data must be {touchpoint, names: {vi, en}, channel, stage, owner, experienceType, version, registeredBy}`,
        );
      const held = latest.get(registered.touchpoint);
      if (!held || registered.version > held.registered.version) latest.set(registered.touchpoint, { registered, at: record.recordedAt });
    }
    await insertRows(
      tx,
      'INSERT INTO tp_catalog (touchpoint, name_vi, name_en, channel, stage, owner, experience_type, version, updated_at)',
      [...latest.values()].map(({ registered: r, at }) => [r.touchpoint, r.names.vi, r.names.en, r.channel, r.stage, r.owner, r.experienceType, r.version, at]),
      `ON CONFLICT (touchpoint) DO UPDATE SET name_vi = excluded.name_vi, name_en = excluded.name_en, channel = excluded.channel, stage = excluded.stage,
         owner = excluded.owner, experience_type = excluded.experience_type, version = excluded.version, updated_at = excluded.updated_at
       WHERE excluded.version > tp_catalog.version`,
    );
  }
}
