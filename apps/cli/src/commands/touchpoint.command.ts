import type { Command } from 'commander';
import { STAGES } from '@journeyline/journey';
import { TouchpointInputError, TouchpointRegistry, touchpointCatalog, type CatalogItem } from '@journeyline/projections';
import { openStores, type CliStores } from '../cli-context';

/**
 * journeyline touchpoint register|list: the touchpoint catalog of the configured store.
 * `register` appends a version (as PUT /api/v1/touchpoints/:touchpoint does, audited); `list`
 * shows the registered touchpoints (from the catalog's stream, so it needs no running server)
 * and the ones seen in events but not registered yet (from the read models, as far as they go).
 */
export function registerTouchpoint(program: Command): void {
  const touchpoint = program
    .command('touchpoint')
    .description('register touchpoints in the catalog (names, channel, stage, owner, experience type) and list it');

  touchpoint
    .command('register <touchpoint>')
    .description('register a touchpoint, or change its definition (each change is a new version)')
    .requiredOption('--name-vi <text>', 'its name in Vietnamese')
    .requiredOption('--name-en <text>', 'its name in English')
    .requiredOption('--channel <channel>', 'web, mobile, email, social, store, phone, chat, ...')
    .requiredOption('--stage <stage>', `its home stage: ${STAGES.join(', ')}`)
    .requiredOption('--owner <team>', 'the team that owns it')
    .requiredOption('--type <experienceType>', 'the experience it serves: sense, feel, think, act, relate')
    .option('--json', 'print the definition as JSON')
    .action(async (id: string, options: { nameVi: string; nameEn: string; channel: string; stage: string; owner: string; type: string; json?: boolean }) => {
      await withStores(async (stores) => {
        const body = {
          names: { vi: options.nameVi, en: options.nameEn },
          channel: options.channel,
          stage: options.stage,
          owner: options.owner,
          experienceType: options.type,
        };
        const { entry, changed } = await new TouchpointRegistry(stores.store).register(id, body, stores.actor);
        if (options.json) return console.log(JSON.stringify({ ...entry, changed }));
        console.log(
          changed ? `touchpoint ${entry.touchpoint} is at version ${entry.version}` : `touchpoint ${entry.touchpoint} unchanged at version ${entry.version}`,
        );
      });
    });

  touchpoint
    .command('list')
    .description('registered touchpoints, then those seen in events but not registered (new)')
    .option('--json', 'as JSON')
    .action(async (options: { json?: boolean }) => {
      await withStores(async (stores) => {
        const registered = await new TouchpointRegistry(stores.store).latest();
        const known = new Set(registered.map((entry) => entry.touchpoint));
        const seen = (await touchpointCatalog(stores.readModels.reader)).filter((item) => item.status === 'new' && !known.has(item.touchpoint));
        const items: CatalogItem[] = [
          ...registered.map((v): CatalogItem => ({
            status: 'registered',
            touchpoint: v.touchpoint,
            names: v.names,
            channel: v.channel,
            stage: v.stage,
            owner: v.owner,
            experienceType: v.experienceType,
            version: v.version,
            updatedAt: v.registeredAt,
          })),
          ...seen,
        ];
        if (options.json) return console.log(JSON.stringify(items, null, 2));
        if (items.length === 0) return console.log('no touchpoints yet: journeyline touchpoint register <touchpoint> --name-vi .. --name-en .. ...');
        for (const item of items) console.log(describe(item));
      });
    });
}

async function withStores(work: (stores: CliStores) => Promise<unknown>): Promise<void> {
  const stores = await openStores();
  try {
    await work(stores);
  } catch (error) {
    if (error instanceof TouchpointInputError) throw new Error(`the touchpoint definition is invalid: ${error.message}`);
    throw error;
  } finally {
    await stores.close();
  }
}

function describe(item: CatalogItem): string {
  if (item.status === 'new') return `${item.touchpoint}  new  ${item.channel ?? '-'} ${item.stage ?? '-'}`;
  return `${item.touchpoint}  v${item.version}  ${item.experienceType}  ${item.owner}  ${item.channel} ${item.stage}  "${item.names.en}" / "${item.names.vi}"`;
}
