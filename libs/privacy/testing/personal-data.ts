import { PersonalData } from '../src/personal-data';
import { SqliteKeyVault } from '../src/sqlite/sqlite-key-vault';

/** PersonalData over a real SQLite key vault of its own, in memory (or in `file`): for specs, harnesses and benchmarks. */
export function localPersonalData(file = ':memory:'): PersonalData {
  return new PersonalData(SqliteKeyVault.open(file), { masterKey: null, personalPortrait: [] });
}
