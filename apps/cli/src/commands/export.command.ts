import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import {
  checkedExportRequest,
  EXPORT_FORMATS,
  EXPORT_KINDS,
  exportInstant,
  exportText,
  exportTypes,
  type ExportFormat,
  type ExportKind,
  type ExportRequest,
} from '@journeyline/projections/export';
import { interruptible, openStores } from '../cli-context';
import { progressBar } from '../progress';

export interface ExportOptions {
  kind: string;
  format?: string;
  out?: string;
  customer?: string;
  type?: string;
  from?: string;
  to?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write the recorded events (NDJSON that imports again, or CSV) or the customer list (CSV for a campaign tool, or NDJSON), ' +
        'streamed, with progress on stderr; personal data is opened (erased customers have none)',
    )
    .requiredOption('--kind <kind>', `what to export: ${EXPORT_KINDS.join(' or ')}`)
    .option('--format <format>', 'ndjson or csv (default: ndjson for events, csv for customers)')
    .option('--out <file>', 'write to this file (default: stdout, which then carries nothing but the data)')
    .option('--customer <id>', 'one customer only')
    .option('--type <types>', 'events of these types only, comma-separated (e.g. feedback.given,purchase.made)')
    .option('--from <date>', 'events that occurred at or after (customers: last seen at or after); a date or timestamp, a bare date in JOURNEYLINE_TZ')
    .option('--to <date>', 'events that occurred before (customers: first seen before)')
    .action(async (options: ExportOptions) => {
      const signal = interruptible();
      try {
        await exportTo(options, {}, () => signal.stopped);
        signal.settle();
      } finally {
        signal.release();
      }
    });
}

/**
 * The command without the terminal's options parsing: the export of the configured store
 * (`env` overrides the environment) to `--out` (written beside it and renamed when complete, so
 * a file of that name is always a whole export) or to stdout. Returns the rows written.
 */
export async function exportTo(options: ExportOptions, env: Record<string, string | undefined> = {}, shouldStop: () => boolean = () => false): Promise<number> {
  const stores = await openStores(env);
  try {
    const request = requestOf(options, stores.config.timeZone);
    const partial = options.out === undefined ? null : `${options.out}.partial`;
    const output = partial === null ? process.stdout : fs.createWriteStream(partial);
    const bar = progressBar(`export ${request.kind} |{bar}| {percentage}% {rows} ${request.kind} written {eta_formatted} left`);
    bar.start(1, 0, { rows: 0 });
    let rows = 0;
    let stopped = false;
    try {
      await stores.audit.record(`${request.kind}.exported`, stores.actor, request.customerId ?? null, {
        ...options,
        out: options.out && path.resolve(options.out),
      });
      const chunks = exportText(
        request,
        { store: stores.store, reader: stores.readModels.reader, reveal: (value) => stores.personal.reveal(value) },
        (progress) => {
          rows = progress.rows;
          bar.setTotal(Math.max(progress.end, 1));
          bar.update(progress.done, { rows });
        },
      );
      for await (const chunk of chunks) {
        await write(output, chunk);
        if (shouldStop()) {
          stopped = true;
          break;
        }
      }
      if (output !== process.stdout) await new Promise<void>((resolve, reject) => output.end((error?: Error | null) => (error ? reject(error) : resolve())));
      bar.stop();
    } catch (error) {
      bar.stop();
      if (partial !== null) fs.rmSync(partial, { force: true });
      throw error;
    }
    report(request, options, rows, stopped, partial);
    return rows;
  } finally {
    await stores.close();
  }
}

function requestOf(options: ExportOptions, timeZone: string): ExportRequest {
  if (!(EXPORT_KINDS as readonly string[]).includes(options.kind)) throw new Error(`--kind must be ${EXPORT_KINDS.join(' or ')}`);
  const kind = options.kind as ExportKind;
  const format = options.format ?? (kind === 'events' ? 'ndjson' : 'csv');
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new Error(`--format must be ${EXPORT_FORMATS.join(' or ')}`);
  try {
    return checkedExportRequest({
      kind,
      format: format as ExportFormat,
      customerId: options.customer,
      types: options.type === undefined ? undefined : exportTypes(options.type),
      from: options.from === undefined ? undefined : exportInstant(options.from, timeZone, 'from'),
      to: options.to === undefined ? undefined : exportInstant(options.to, timeZone, 'to'),
    });
  } catch (error) {
    throw new Error(`--${(error as { field?: string }).field ?? 'option'}: ${(error as Error).message}`);
  }
}

/** Writes a chunk, waiting while the output's buffer is full (a slow disk or a pipe to a slow reader). */
function write(output: NodeJS.WritableStream, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    output.once('error', onError);
    const done = () => {
      output.removeListener('error', onError);
      resolve();
    };
    if (output.write(chunk)) done();
    else output.once('drain', done);
  });
}

function report(request: ExportRequest, options: ExportOptions, rows: number, stopped: boolean, partial: string | null): void {
  const what = `${rows} ${request.kind === 'events' ? 'events' : 'customers'}`;
  if (stopped) {
    if (partial !== null) fs.rmSync(partial, { force: true });
    process.stderr.write(
      `journeyline: export interrupted after ${what}; ${partial !== null ? `nothing was written to ${options.out}` : 'the output is incomplete'}: run the same command again\n`,
    );
    return;
  }
  if (partial === null) {
    process.stderr.write(`journeyline: exported ${what}\n`);
    return;
  }
  fs.renameSync(partial, options.out!);
  console.log(`exported ${what} to ${options.out}`);
}
