import * as path from 'node:path';
import type { Command } from 'commander';
import { delimiterOption, importEvents, type ImportFormat } from '@journeyline/recording/files';
import { CustomerStateCache } from '@journeyline/recording';
import { interruptible, openStores } from '../cli-context';
import { openImportFile, type ImportFileOptions } from '../import/event-file-reader';
import { RejectsFile } from '../import/rejects-file';
import { progressBar } from '../progress';

export interface ImportResult {
  records: number;
  stored: number;
  duplicates: number;
  rejected: number;
  /** Where the rejected records are (removed when there are none). */
  rejectedFile: string;
  /** Ctrl-C stopped it: what is stored stays, and the same command resumes. */
  stopped: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import events from an NDJSON, CSV or .xlsx file; rows that cannot be recorded go to <file>.rejected.csv (or .rejected.ndjson) with the reason; ' +
        'exit status 0 when every row is stored or set aside; safe to re-run or resume',
    )
    .argument('<file>', 'events file (.ndjson, .jsonl, .csv or .xlsx)')
    .option('--format <format>', 'ndjson, csv or xlsx (default: from the extension, else the content)')
    .option('--delimiter <char>', 'CSV separator: , ; | or tab (default: read from the header line)')
    .option(
      '--date-format <luxon>',
      'read occurredAt with this format only, e.g. dd/MM/yyyy or dd/MM/yyyy HH:mm (default: ISO 8601, dd/mm/yyyy [HH:mm[:ss]], yyyy-mm-dd HH:mm[:ss])',
    )
    .option('--columns <pairs>', 'columns named otherwise, e.g. "Mã KH=customerId,Ngày=occurredAt,Điểm=score" ("Column=" leaves a column out)')
    .option('--columns-file <file>', 'the same as a JSON object, {"Mã KH": "customerId", ...}')
    .option('--batch-size <n>', 'events per store transaction', (v) => Number(v), 1000)
    .action(async (file: string, options: ImportFileOptions & { batchSize: number }) => {
      const signal = interruptible();
      try {
        const result = await importFile(
          file,
          options.format as ImportFormat | undefined,
          options.batchSize,
          {},
          { ...options, shouldStop: () => signal.stopped },
        );
        const counts = `${result.stored} new, ${result.duplicates} already stored, ${result.rejected} rejected${result.rejected ? ` (see ${result.rejectedFile})` : ''}`;
        console.log(
          result.stopped
            ? `interrupted after ${result.records} rows: ${counts}; run the same command again to resume`
            : `imported ${result.records} rows: ${counts}`,
        );
        signal.settle();
      } finally {
        signal.release();
      }
    });
}

/**
 * The command without the terminal's options parsing: imports `file` into the configured store
 * (`env` overrides the environment), with a progress line on stderr from the start. Rejected rows
 * are set aside, never a failure; it throws when the import itself fails (a file that cannot be
 * read, a store that cannot be written), after keeping what was recorded.
 */
export async function importFile(
  file: string,
  format?: ImportFormat,
  batchSize = 1000,
  env: Record<string, string | undefined> = {},
  options: ImportFileOptions & { shouldStop?: () => boolean } = {},
): Promise<ImportResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error('--batch-size must be a whole number ≥ 1');
  const stores = await openStores(env);
  try {
    const input = await openImportFile(file, { ...options, format: format ?? options.format }, stores.config.timeZone);
    const rejects = new RejectsFile(file, input, options.delimiter === undefined ? undefined : delimiterOption(options.delimiter));
    const bar = progressBar(`import ${path.basename(file)} |{bar}| {percentage}% {records} rows: {stored} new, {duplicates} known, {rejected} rejected`);
    bar.start(Math.max(1, input.size), 0, { records: 0, stored: 0, duplicates: 0, rejected: 0 });
    try {
      const totals = await importEvents(input, {
        store: stores.store,
        personal: stores.personal,
        states: new CustomerStateCache(),
        timeZone: stores.config.timeZone,
        limits: stores.config.wireLimits,
        batchSize,
        shouldStop: options.shouldStop,
        onRejected: (rejected) => rejects.write(rejected),
        onProgress: (progress) => bar.update(Math.min(input.bytesRead(), input.size), { ...progress }),
      });
      bar.update(totals.stopped ? Math.min(input.bytesRead(), input.size) : input.size, { ...totals });
      return { ...totals, rejectedFile: rejects.path };
    } finally {
      bar.stop();
      rejects.close();
    }
  } finally {
    await stores.close();
  }
}
