import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { Command } from 'commander';
import type { KeyVault } from '@journeyline/privacy';
import { loadConfig, openEventStore, openKeyVault, parseStoreUrl, storeKey, STORE_URL_FORMS, type StoreLocation } from '@journeyline/platform';
import { interruptible, INTERRUPTED_EXIT_CODE } from '../cli-context';
import { progressBar } from '../progress';
import { copyEvents, type CopyResult } from '../copy/copy-events';

export function registerCopy(program: Command): void {
  program
    .command('copy')
    .description(
      'copy every event from one store to another in global order (eventIds, streams, revisions, types, data, occurredAt; ' +
        "the target records its own recordedAt), with the customers' data keys (erased ones stay erased), then verify counts and a checksum; " +
        'resumable, Ctrl-C stops after the current batch',
    )
    .requiredOption('--from <store-url>', `source store: ${STORE_URL_FORMS}`)
    .requiredOption('--to <store-url>', 'target store, same forms')
    .option('--batch-size <n>', 'events per target append', (v) => Number(v), 1000)
    .option('--checkpoint <file>', 'progress file (default: beside a sqlite target, else in JOURNEYLINE_DATA_DIR)')
    .option('--no-verify', 'skip the final comparison of counts and checksums')
    .action(async (options: { from: string; to: string; batchSize: number; checkpoint?: string; verify: boolean }) => {
      const result = await copyStores(options.from, options.to, options);
      report(result, options.from, options.to);
      if (result.stopped) process.exitCode = INTERRUPTED_EXIT_CODE;
    });
}

/** The command without the terminal: opens both stores by URL, copies with a progress bar, closes them. */
export async function copyStores(
  fromUrl: string,
  toUrl: string,
  options: { batchSize?: number; checkpoint?: string; verify?: boolean; shouldStop?: () => boolean } = {},
): Promise<CopyResult & { checkpointFile: string; dataKeys: number }> {
  const from = parseStoreUrl(fromUrl);
  const to = parseStoreUrl(toUrl);
  if (storeKey(from) === storeKey(to)) throw new Error('--from and --to name the same store');
  const checkpointFile = options.checkpoint ? path.resolve(options.checkpoint) : defaultCheckpointFile(from, to);

  const source = await openEventStore(from, { mustExist: true, maxConnections: 4 });
  const target = await openEventStore(to, { maxConnections: 4 }).catch(async (error: unknown) => {
    await source.close();
    throw error;
  });
  const shouldStop = options.shouldStop ?? stopOnCtrlC();
  const bar = progressBar('copy |{bar}| {percentage}% {read} events ({written} new, {present} already there) {eta_formatted} left');
  // drawn at once, before the data keys and the first batch; the total is known after the first read
  bar.start(1, 0, { read: 0, written: 0, present: 0 });
  try {
    // The keys first: an event copied is readable in the target as soon as it is there.
    const dataKeys = await copyDataKeys(from, to);
    const result = await copyEvents(source, target, {
      batchSize: options.batchSize,
      verify: options.verify,
      checkpoint: { file: checkpointFile, from: storeKey(from), to: storeKey(to) },
      shouldStop,
      onProgress: (progress) => {
        bar.setTotal(Math.max(progress.head, 1));
        bar.update(progress.position, progress);
      },
    });
    bar.stop();
    return { ...result, checkpointFile, dataKeys };
  } finally {
    bar.stop();
    await Promise.allSettled([source.close(), target.close()]);
  }
}

/**
 * Every row of the source's key vault into the target's (see openKeyVault): keys the target lacks
 * are added, and an erasure in either stays an erasure. A vault both stores share is left alone.
 */
async function copyDataKeys(from: StoreLocation, to: StoreLocation): Promise<number> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch {
    config = loadConfig({});
  }
  const source = await openKeyVault(config, from);
  let target: KeyVault | null = null;
  try {
    target = await openKeyVault(config, to);
    let copied = 0;
    for (let after = ''; ;) {
      const rows = await source.page(after, 1000);
      if (rows.length === 0) return copied;
      await target.restore(rows);
      copied += rows.length;
      after = rows[rows.length - 1].customerId;
    }
  } finally {
    await Promise.allSettled([source.close(), target?.close()]);
  }
}

function stopOnCtrlC(): () => boolean {
  const signal = interruptible();
  return () => signal.stopped;
}

/** Beside a sqlite target (one per source), else in the data directory (one per pair). */
function defaultCheckpointFile(from: StoreLocation, to: StoreLocation): string {
  const id = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12);
  if (to.kind === 'sqlite') return `${to.file}.copy-${id(storeKey(from))}.json`;
  let dataDir = path.resolve('data');
  try {
    dataDir = loadConfig(process.env).dataDir;
  } catch {
    // The copy does not need the server's store settings; a bad one elsewhere must not stop it.
  }
  return path.join(dataDir, `copy-${id(`${storeKey(from)}\n${storeKey(to)}`)}.json`);
}

function report(result: CopyResult & { checkpointFile: string; dataKeys: number }, from: string, to: string): void {
  if (result.resumeNote) console.log(result.resumeNote);
  console.log(`copied ${result.dataKeys} customers' data keys (erased customers stay erased)`);
  const counts = `${result.read} source events (${result.written} new in the target, ${result.present} already there)`;
  if (result.stopped) {
    console.log(`interrupted after ${counts}; run the same command again to resume (progress in ${result.checkpointFile})`);
    return;
  }
  const resumed = result.resumedFrom > 0 ? `, resumed after source position ${result.resumedFrom}` : '';
  console.log(`copied ${counts} from ${from} to ${to}${resumed}; recordedAt in the target is the time of this copy`);
  const verification = result.verification;
  if (verification === null) return;
  if (!verification.ok) {
    throw new Error(
      `verification failed: source ${verification.source.count} events sha256 ${verification.source.sha256}, ` +
        `target ${verification.target.count} of them sha256 ${verification.target.sha256}`,
    );
  }
  console.log(`verified: ${verification.source.count} events, sha256 ${verification.source.sha256} on both sides`);
}
