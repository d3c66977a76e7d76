import type { Command } from 'commander';
import { KeyInputError, SCOPES, UnknownKeyError, type ApiKeyView } from '@journeyline/access';
import { openStores } from '../cli-context';

/**
 * journeyline keys create|list|rotate|revoke: the API keys of the configured store, managed by
 * whoever can open the store (the same access that could read it all). A new or rotated key is
 * printed once, on stdout alone, so that `KEY=$(journeyline keys create ...)` captures it.
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('create, list, rotate and revoke API keys (keys are stored hashed; a key is shown once, when made)');

  keys
    .command('create')
    .description('make a key; prints the key alone on stdout (keep it: it is never shown again)')
    .requiredOption('--name <name>', 'who or what holds it, e.g. "crm sync" or "Lan (CX team)"')
    .requiredOption('--scopes <list>', `comma-separated: ${SCOPES.join(', ')} (admin can do everything)`)
    .action(async (options: { name: string; scopes: string }) => {
      await withStores(async (stores) => {
        const created = await stores.keys.create({ name: options.name, scopes: options.scopes.split(',').map((s) => s.trim()) }, stores.actor, 'cli');
        process.stderr.write(`created key ${created.id} (${created.name}; scopes ${created.scopes.join(', ')}); it is shown only now:\n`);
        console.log(created.key);
      });
    });

  keys
    .command('list')
    .description('every key with its scopes and state (no secrets)')
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      await withStores(async (stores) => {
        const list = await stores.keys.list();
        if (options.json) return console.log(JSON.stringify(list, null, 2));
        if (list.length === 0) return console.log('no keys yet: the server makes the first admin key when it starts, or run journeyline keys create');
        for (const key of list) console.log(describe(key));
      });
    });

  keys
    .command('rotate <id>')
    .description('a new key with the same name and scopes; the old one stops working at once; prints the new key on stdout')
    .action(async (id: string) => {
      await withStores(async (stores) => {
        const created = await stores.keys.rotate(id, stores.actor);
        process.stderr.write(`key ${id} is revoked; its replacement ${created.id} is shown only now:\n`);
        console.log(created.key);
      });
    });

  keys
    .command('revoke <id>')
    .description('the key stops working everywhere within a second, and so do the sessions signed in with it')
    .action(async (id: string) => {
      await withStores(async (stores) => {
        console.log(describe(await stores.keys.revoke(id, stores.actor)));
      });
    });
}

async function withStores(work: (stores: Awaited<ReturnType<typeof openStores>>) => Promise<unknown>): Promise<void> {
  const stores = await openStores();
  try {
    await work(stores);
  } catch (error) {
    if (error instanceof KeyInputError) throw new Error(`--${error.field === 'id' ? 'id' : error.field}: ${error.reason}`);
    if (error instanceof UnknownKeyError) throw new Error(`${error.message.replace('GET /api/v1/keys', 'journeyline keys list')}`);
    throw error;
  } finally {
    await stores.close();
  }
}

function describe(key: ApiKeyView): string {
  const state = key.revokedAt
    ? `revoked ${key.revokedAt} by ${key.revokedBy?.name ?? '?'}${key.replacedBy ? ` (replaced by ${key.replacedBy})` : ''}`
    : 'active';
  return `${key.id}  ${key.name}  [${key.scopes.join(', ')}]  ${state}; made ${key.createdAt} by ${key.createdBy.name} (${key.origin})`;
}
