import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyVaultContract } from '@journeyline/privacy/testing/key-vault.contract';
import { SqliteKeyVault } from './sqlite-key-vault';

let directory: string;
let files = 0;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'journeyline-key-vault-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});
/** A fresh file per test: the contract needs an empty vault, and a file (unlike ':memory:') runs in WAL. */
const nextFile = () => join(directory, `keys-${++files}.db`);

keyVaultContract('sqlite', async () => {
  const vault = SqliteKeyVault.open(nextFile());
  return { vault, cleanup: () => vault.close() };
});

describe('SqliteKeyVault', () => {
  const newKey = () => ({ keyId: randomBytes(8).toString('hex'), material: randomBytes(32) });
  /** Whether the file (absent: empty) holds these bytes anywhere. */
  const fileHolds = (file: string, bytes: Buffer) => existsSync(file) && readFileSync(file).indexOf(bytes) >= 0;

  it("leaves the destroyed key's bytes in neither the database file nor its write-ahead log", async () => {
    const file = nextFile();
    const vault = SqliteKeyVault.open(file);
    try {
      const key = newKey();
      await vault.keysFor(['c-erased'], () => key);
      await vault.keysFor(['c-kept'], newKey);
      expect(fileHolds(file, key.material) || fileHolds(`${file}-wal`, key.material)).toBe(true); // the check below can see a key

      const outcome = await vault.erase('c-erased', new Date('2026-11-20T02:15:00.000Z'), randomBytes(8).toString('hex'));

      expect(outcome.destroyed).toBe(true);
      expect(outcome.filesScrubbed).toBe(true);
      expect(fileHolds(file, key.material)).toBe(false);
      expect(fileHolds(`${file}-wal`, key.material)).toBe(false);
      expect((await vault.find('c-kept'))!.material).not.toBeNull();
    } finally {
      await vault.close();
    }
  });

  it("an erasure taken from a copy (restore) scrubs the key's bytes from the files too", async () => {
    const file = nextFile();
    const vault = SqliteKeyVault.open(file);
    try {
      const key = newKey();
      const live = (await vault.keysFor(['c-erased'], () => key)).get('c-erased')!;
      expect(fileHolds(file, key.material) || fileHolds(`${file}-wal`, key.material)).toBe(true);

      await vault.restore([{ ...live, material: null, erasedAt: '2026-11-20T02:15:00.000Z' }]);

      expect(fileHolds(file, key.material)).toBe(false);
      expect(fileHolds(`${file}-wal`, key.material)).toBe(false);
    } finally {
      await vault.close();
    }
  });

  it('keeps the keys and the tombstones across close and reopen', async () => {
    const file = nextFile();
    const first = SqliteKeyVault.open(file);
    await first.keysFor(['c-1'], newKey);
    await first.erase('c-2', new Date('2026-11-20T02:15:00.000Z'), randomBytes(8).toString('hex'));
    const before = await first.page('', 10);
    await first.close();

    const reopened = SqliteKeyVault.open(file);
    try {
      expect(await reopened.page('', 10)).toEqual(before);
      expect(before).toHaveLength(2);
    } finally {
      await reopened.close();
    }
  });

  it('two vaults on one file (two processes) agree on one key per customer', async () => {
    const file = nextFile();
    const a = SqliteKeyVault.open(file);
    const b = SqliteKeyVault.open(file);
    try {
      const [fromA, fromB] = await Promise.all([a.keysFor(['c-1'], newKey), b.keysFor(['c-1'], newKey)]);
      expect(fromA.get('c-1')!.keyId).toBe(fromB.get('c-1')!.keyId);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
