import type { ExperienceType, Stage } from '@journeyline/journey';
import { touchpointVisits } from '../journey-map/touchpoint-activity.queries';
import type { SqlExecutor } from '../runtime/sql-executor';

/** A registered touchpoint at its latest version (a row of `tp_catalog`). */
export interface CatalogEntry {
  touchpoint: string;
  names: { vi: string; en: string };
  channel: string;
  stage: Stage;
  owner: string;
  experienceType: ExperienceType;
  version: number;
  updatedAt: string;
}

/**
 * A line of the catalog as `GET /api/v1/touchpoints` answers it: a registered touchpoint, or one
 * seen in events but never registered (`status: "new"`, to classify), with the channel and stage
 * it is seen on most and no names, owner or type.
 */
export type CatalogItem =
  | (CatalogEntry & { status: 'registered' })
  | {
      status: 'new';
      touchpoint: string;
      names: null;
      channel: string | null;
      stage: Stage | null;
      owner: null;
      experienceType: null;
      version: null;
      updatedAt: null;
    };

interface CatalogRow {
  touchpoint: string;
  name_vi: string;
  name_en: string;
  channel: string;
  stage: Stage;
  owner: string;
  experience_type: ExperienceType;
  version: number;
  updated_at: string;
}

const COLUMNS = 'touchpoint, name_vi, name_en, channel, stage, owner, experience_type, version, updated_at';

function entryOf(row: CatalogRow): CatalogEntry {
  return {
    touchpoint: row.touchpoint,
    names: { vi: row.name_vi, en: row.name_en },
    channel: row.channel,
    stage: row.stage,
    owner: row.owner,
    experienceType: row.experience_type,
    version: Number(row.version),
    updatedAt: row.updated_at,
  };
}

/** Every registered touchpoint at its latest version, by touchpoint; empty when none is (or the table is not there yet). */
export async function catalogEntries(reader: SqlExecutor): Promise<CatalogEntry[]> {
  try {
    return (await reader.all<CatalogRow>(`SELECT ${COLUMNS} FROM tp_catalog ORDER BY touchpoint`)).map(entryOf);
  } catch {
    return [];
  }
}

/** One registered touchpoint; null when it is not registered. */
export async function catalogEntry(reader: SqlExecutor, touchpoint: string): Promise<CatalogEntry | null> {
  try {
    const row = await reader.get<CatalogRow>(`SELECT ${COLUMNS} FROM tp_catalog WHERE touchpoint = ?`, [touchpoint]);
    return row ? entryOf(row) : null;
  } catch {
    return null;
  }
}

/** The team that owns a touchpoint; null when it is not registered. */
export async function ownerOf(reader: SqlExecutor, touchpoint: string): Promise<string | null> {
  return (await catalogEntry(reader, touchpoint))?.owner ?? null;
}

/** Each registered touchpoint's owner team, for lookups over many touchpoints at once. */
export async function ownersByTouchpoint(reader: SqlExecutor): Promise<Map<string, string>> {
  return new Map((await catalogEntries(reader)).map((entry) => [entry.touchpoint, entry.owner]));
}

/**
 * The whole catalog: every registered touchpoint, then every touchpoint seen in events (visited,
 * from the journey map's visit counts, or answered about, from the metrics' touchpoint buckets)
 * that nobody registered yet, as `new`. Ordered by touchpoint within each status.
 */
export async function touchpointCatalog(reader: SqlExecutor): Promise<CatalogItem[]> {
  const registered = await catalogEntries(reader);
  const known = new Set(registered.map((entry) => entry.touchpoint));
  const visits = await touchpointVisits(reader);
  const answered = await reader.all<{ key: string }>("SELECT DISTINCT key FROM cx_buckets WHERE dim = 'touchpoint'").catch(() => []);
  const seen = new Set([...visits.keys(), ...answered.map((row) => row.key)]);
  const fresh = [...seen]
    .filter((touchpoint) => !known.has(touchpoint))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((touchpoint): CatalogItem => {
      const visited = visits.get(touchpoint);
      return {
        status: 'new',
        touchpoint,
        names: null,
        channel: visited?.channel ?? null,
        stage: visited?.homeStage ?? null,
        owner: null,
        experienceType: null,
        version: null,
        updatedAt: null,
      };
    });
  return [...registered.map((entry): CatalogItem => ({ status: 'registered', ...entry })), ...fresh];
}
