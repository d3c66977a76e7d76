import { randomBytes } from 'node:crypto';
import type { KeyVault, NewDataKey, VaultKey } from '@journeyline/privacy/key-vault.port';

/**
 * The behaviour every `KeyVault` adapter must show, written once so that SQLite and PostgreSQL
 * are held to the same rules. Usage, in an adapter's spec file:
 *
 *   keyVaultContract('postgres', async () => ({ vault, cleanup }));
 *
 * The factory runs before every test and must hand back an empty vault; `cleanup` runs after the
 * test and must release it.
 */
export function keyVaultContract(name: string, open: () => Promise<{ vault: KeyVault; cleanup: () => Promise<void> }>): void {
  describe(`KeyVault contract: ${name}`, () => {
    let vault: KeyVault;
    let cleanup: (() => Promise<void>) | undefined;

    beforeEach(async () => {
      ({ vault, cleanup } = await open());
    });

    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    const newKeyId = () => randomBytes(8).toString('hex');

    /** A `create` for keysFor that remembers the keys it made. */
    function keyMaker() {
      const made: NewDataKey[] = [];
      const create = (): NewDataKey => {
        const key = { keyId: newKeyId(), material: randomBytes(32) };
        made.push(key);
        return key;
      };
      return { made, create };
    }

    const noNewKey = (): NewDataKey => {
      throw new Error('keysFor made a key where it must not');
    };

    /** A row as another vault holds it, for `restore`. */
    function row(customerId: string, overrides: Partial<VaultKey> = {}): VaultKey {
      return { customerId, keyId: newKeyId(), material: randomBytes(32), createdAt: '2026-11-01T09:00:00.000Z', erasedAt: null, ...overrides };
    }

    const ERASED_AT = new Date('2026-11-20T02:15:00.000Z');
    const LATER = new Date('2026-11-25T08:00:00.000Z');

    describe('keysFor', () => {
      it('makes one key for each new customer', async () => {
        const { made, create } = keyMaker();
        const keys = await vault.keysFor(['c-1', 'c-2', 'c-1'], create);
        expect(made).toHaveLength(2);
        expect([...keys.keys()].sort()).toEqual(['c-1', 'c-2']);
        const first = keys.get('c-1')!;
        const made1 = made.find((key) => key.keyId === first.keyId)!;
        expect(first).toEqual({ customerId: 'c-1', keyId: made1.keyId, material: made1.material, createdAt: expect.any(String), erasedAt: null });
        expect(Number.isFinite(Date.parse(first.createdAt))).toBe(true);
        expect(keys.get('c-2')!.keyId).not.toBe(first.keyId);
      });

      it('returns the same row on later calls, making no new key', async () => {
        const first = await vault.keysFor(['c-1'], keyMaker().create);
        const later = await vault.keysFor(['c-1'], noNewKey);
        expect(later.get('c-1')).toEqual(first.get('c-1'));
        expect(later.get('c-1')!.material!.equals(first.get('c-1')!.material!)).toBe(true);
      });

      it('makes keys only for the customers who have none', async () => {
        const first = await vault.keysFor(['c-1'], keyMaker().create);
        const { made, create } = keyMaker();
        const keys = await vault.keysFor(['c-1', 'c-2'], create);
        expect(made).toHaveLength(1);
        expect(keys.get('c-1')!.keyId).toBe(first.get('c-1')!.keyId);
        expect(keys.get('c-2')!.keyId).toBe(made[0].keyId);
      });

      it('two concurrent calls for the same new customer agree on one key', async () => {
        const [a, b] = await Promise.all([vault.keysFor(['c-race'], keyMaker().create), vault.keysFor(['c-race'], keyMaker().create)]);
        expect(a.get('c-race')!.keyId).toBe(b.get('c-race')!.keyId);
        expect(a.get('c-race')!.material!.equals(b.get('c-race')!.material!)).toBe(true);
        expect((await vault.find('c-race'))!.keyId).toBe(a.get('c-race')!.keyId);
      });

      it('concurrent calls for many of the same new customers, in different orders, agree on every key', async () => {
        for (let round = 0; round < 20; round++) {
          const customers = Array.from({ length: 200 }, (_, i) => `c-${round}-${String(i).padStart(3, '0')}`);
          const [a, b] = await Promise.all([vault.keysFor(customers, keyMaker().create), vault.keysFor([...customers].reverse(), keyMaker().create)]);
          expect(customers.filter((customer) => a.get(customer)!.keyId !== b.get(customer)!.keyId)).toEqual([]);
        }
      });

      it('an empty list asks nothing and makes nothing', async () => {
        expect((await vault.keysFor([], noNewKey)).size).toBe(0);
      });
    });

    describe('byKeyIds and find', () => {
      it('byKeyIds finds rows by key id and leaves unknown ids out', async () => {
        const keys = await vault.keysFor(['c-1', 'c-2'], keyMaker().create);
        const one = keys.get('c-1')!;
        const two = keys.get('c-2')!;
        const found = await vault.byKeyIds([one.keyId, two.keyId, newKeyId()]);
        expect(found.size).toBe(2);
        expect(found.get(one.keyId)).toEqual(one);
        expect(found.get(two.keyId)).toEqual(two);
        expect((await vault.byKeyIds([])).size).toBe(0);
      });

      it("find gives a customer's row, and null for a customer the vault does not know", async () => {
        const keys = await vault.keysFor(['c-1'], keyMaker().create);
        expect(await vault.find('c-1')).toEqual(keys.get('c-1'));
        expect(await vault.find('c-unknown')).toBeNull();
      });
    });

    describe('erase', () => {
      it('destroys the key, leaving the row with no material', async () => {
        const key = (await vault.keysFor(['c-1'], keyMaker().create)).get('c-1')!;
        const outcome = await vault.erase('c-1', ERASED_AT, newKeyId());
        expect(outcome).toEqual({ destroyed: true, erasedAt: ERASED_AT.toISOString(), filesScrubbed: expect.any(Boolean) });
        expect(await vault.find('c-1')).toEqual({ ...key, material: null, erasedAt: ERASED_AT.toISOString() });
        expect((await vault.byKeyIds([key.keyId])).get(key.keyId)!.material).toBeNull();
      });

      it('asking again changes nothing: not destroyed again, the first erasedAt kept', async () => {
        await vault.keysFor(['c-1'], keyMaker().create);
        await vault.erase('c-1', ERASED_AT, newKeyId());
        const again = await vault.erase('c-1', LATER, newKeyId());
        expect(again.destroyed).toBe(false);
        expect(again.erasedAt).toBe(ERASED_AT.toISOString());
        expect((await vault.find('c-1'))!.erasedAt).toBe(ERASED_AT.toISOString());
      });

      it('an erased customer never gets a new key: keysFor returns the tombstone', async () => {
        const key = (await vault.keysFor(['c-1'], keyMaker().create)).get('c-1')!;
        await vault.erase('c-1', ERASED_AT, newKeyId());
        const after = await vault.keysFor(['c-1'], noNewKey);
        expect(after.get('c-1')).toEqual({ ...key, material: null, erasedAt: ERASED_AT.toISOString() });
      });

      it('erasing a customer who never had a key leaves a tombstone that keysFor returns afterwards', async () => {
        const tombstoneKeyId = newKeyId();
        const outcome = await vault.erase('c-never', ERASED_AT, tombstoneKeyId);
        expect(outcome.destroyed).toBe(false);
        expect(outcome.erasedAt).toBe(ERASED_AT.toISOString());
        const tombstone = await vault.find('c-never');
        expect(tombstone).toEqual({
          customerId: 'c-never',
          keyId: tombstoneKeyId,
          material: null,
          createdAt: expect.any(String),
          erasedAt: ERASED_AT.toISOString(),
        });
        expect((await vault.keysFor(['c-never'], noNewKey)).get('c-never')).toEqual(tombstone);
      });

      it("leaves other customers' keys alone", async () => {
        const keys = await vault.keysFor(['c-1', 'c-2'], keyMaker().create);
        await vault.erase('c-1', ERASED_AT, newKeyId());
        expect(await vault.find('c-2')).toEqual(keys.get('c-2'));
      });
    });

    describe('erasedCustomers', () => {
      it('lists the erased customers (tombstones included), in customer id order, and no one else', async () => {
        expect(await vault.erasedCustomers()).toEqual([]);
        await vault.keysFor(['c-3', 'c-1', 'c-5'], keyMaker().create);
        await vault.erase('c-5', ERASED_AT, newKeyId());
        await vault.erase('c-2', LATER, newKeyId());
        expect(await vault.erasedCustomers()).toEqual(['c-2', 'c-5']);
      });
    });

    describe('page', () => {
      it('returns rows in customer id order after the given id, tombstones included', async () => {
        await vault.keysFor(['c-3', 'c-1', 'c-5'], keyMaker().create);
        await vault.erase('c-2', ERASED_AT, newKeyId());
        await vault.erase('c-5', ERASED_AT, newKeyId());
        const all = await vault.page('', 100);
        expect(all.map((r) => r.customerId)).toEqual(['c-1', 'c-2', 'c-3', 'c-5']);
        expect(all.map((r) => r.material === null)).toEqual([false, true, false, true]);
        expect(all[0]).toEqual(await vault.find('c-1'));

        const first = await vault.page('', 2);
        expect(first.map((r) => r.customerId)).toEqual(['c-1', 'c-2']);
        const next = await vault.page(first[first.length - 1].customerId, 2);
        expect(next.map((r) => r.customerId)).toEqual(['c-3', 'c-5']);
        expect(await vault.page('c-5', 2)).toEqual([]);
      });
    });

    describe('restore', () => {
      it('adds the rows it does not have, as they were', async () => {
        const live = row('c-1');
        const tombstone = row('c-2', { material: null, erasedAt: ERASED_AT.toISOString() });
        await vault.restore([live, tombstone]);
        expect(await vault.find('c-1')).toEqual(live);
        expect(await vault.find('c-2')).toEqual(tombstone);
        expect(await vault.page('', 10)).toEqual([live, tombstone]);
      });

      it('keeps a row it has over a live incoming one', async () => {
        const existing = (await vault.keysFor(['c-1'], keyMaker().create)).get('c-1')!;
        await vault.restore([row('c-1')]);
        expect(await vault.find('c-1')).toEqual(existing);
      });

      it('an incoming erased row erases a live one here: erasure wins', async () => {
        const existing = (await vault.keysFor(['c-1'], keyMaker().create)).get('c-1')!;
        await vault.restore([{ ...existing, material: null, erasedAt: ERASED_AT.toISOString() }]);
        const after = await vault.find('c-1');
        expect(after!.material).toBeNull();
        expect(after!.erasedAt).toBe(ERASED_AT.toISOString());
        expect((await vault.keysFor(['c-1'], noNewKey)).get('c-1')!.material).toBeNull();
      });

      it('an incoming erased row erases a live one here even when the two vaults made different keys', async () => {
        await vault.keysFor(['c-1'], keyMaker().create);
        await vault.restore([row('c-1', { material: null, erasedAt: ERASED_AT.toISOString() })]);
        expect((await vault.find('c-1'))!.material).toBeNull();
      });

      it('an incoming live row never revives an erased one', async () => {
        const existing = (await vault.keysFor(['c-1'], keyMaker().create)).get('c-1')!;
        await vault.erase('c-1', ERASED_AT, newKeyId());
        await vault.restore([existing]);
        await vault.restore([row('c-1')]);
        const after = await vault.find('c-1');
        expect(after!.material).toBeNull();
        expect(after!.erasedAt).toBe(ERASED_AT.toISOString());
      });

      it('an incoming tombstone keeps the erasure here as it was', async () => {
        await vault.erase('c-1', ERASED_AT, newKeyId());
        const before = await vault.find('c-1');
        await vault.restore([row('c-1', { material: null, erasedAt: LATER.toISOString() })]);
        expect(await vault.find('c-1')).toEqual(before);
      });

      it('restoring nothing changes nothing', async () => {
        const keys = await vault.keysFor(['c-1'], keyMaker().create);
        await vault.restore([]);
        expect(await vault.page('', 10)).toEqual([keys.get('c-1')]);
      });
    });
  });
}
