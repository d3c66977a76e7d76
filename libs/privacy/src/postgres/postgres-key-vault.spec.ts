import { randomBytes } from 'node:crypto';
import { escapeIdentifier, type Pool } from 'pg';
import { adminPool, dropSchema, testPostgresUrl, uniqueSchema } from '@journeyline/event-store/testing/postgres-test-support';
import { keyVaultContract } from '@journeyline/privacy/testing/key-vault.contract';
import { PostgresKeyVault } from './postgres-key-vault';

let admin: Pool;
beforeAll(() => {
  admin = adminPool();
});
afterAll(async () => {
  await admin.end();
});

/** A vault on a fresh schema, and a cleanup that closes it and drops the schema. */
async function freshVault() {
  const schema = uniqueSchema('jl_kv');
  const vault = await PostgresKeyVault.open({ connectionString: testPostgresUrl(), schema });
  return {
    vault,
    schema,
    cleanup: async () => {
      await vault.close();
      await dropSchema(admin, schema);
    },
  };
}

keyVaultContract('postgres', () => freshVault());

describe('PostgresKeyVault', () => {
  const newKey = () => ({ keyId: randomBytes(8).toString('hex'), material: randomBytes(32) });

  it('two vaults on one schema (two servers) racing for the same new customers agree on one key each', async () => {
    const { vault, schema, cleanup } = await freshVault();
    const other = await PostgresKeyVault.open({ connectionString: testPostgresUrl(), schema });
    try {
      const customers = Array.from({ length: 50 }, (_, i) => `c-${i}`);
      const [a, b] = await Promise.all([vault.keysFor(customers, newKey), other.keysFor(customers, newKey)]);
      for (const customer of customers) expect(a.get(customer)!.keyId).toBe(b.get(customer)!.keyId);
      expect(await vault.page('', 100)).toHaveLength(50);
    } finally {
      await other.close();
      await cleanup();
    }
  });

  it('an erasure rewrites the table and leaves no material in the row', async () => {
    const { vault, schema, cleanup } = await freshVault();
    try {
      await vault.keysFor(['c-1'], newKey);
      const outcome = await vault.erase('c-1', new Date('2026-11-20T02:15:00.000Z'), newKey().keyId);
      expect(outcome).toEqual({ destroyed: true, erasedAt: '2026-11-20T02:15:00.000Z', filesScrubbed: true });
      const { rows } = await admin.query(`SELECT material FROM ${escapeIdentifier(schema)}.customer_keys WHERE customer_id = 'c-1'`);
      expect(rows).toEqual([{ material: null }]);
    } finally {
      await cleanup();
    }
  });

  it('opening twice on one schema migrates once and keeps the keys', async () => {
    const { vault, schema, cleanup } = await freshVault();
    try {
      const made = (await vault.keysFor(['c-1'], newKey)).get('c-1')!;
      const reopened = await PostgresKeyVault.open({ connectionString: testPostgresUrl(), schema });
      try {
        expect(await reopened.find('c-1')).toEqual(made);
      } finally {
        await reopened.close();
      }
    } finally {
      await cleanup();
    }
  });
});
