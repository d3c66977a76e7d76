import * as fs from 'node:fs';
import * as path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { CustomerStateCache, parseWireEvent, recordOrSetAside } from '@journeyline/recording';
import type { CustomerCommand } from '@journeyline/journey';
import { interruptible, openStores } from '../cli-context';
import { readEvents } from '../import/event-file-reader';

interface Rejected {
  line: number;
  reason: string;
  raw?: unknown;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import wire events from an NDJSON or CSV file; bad lines go to <file>.rejected.ndjson with the reason; safe to re-run or resume')
    .argument('<file>', 'events file (.ndjson, .jsonl or .csv)')
    .option('--format <format>', 'ndjson or csv (default: from the file extension)')
    .option('--batch-size <n>', 'events per store transaction', (v) => Number(v), 1000)
    .action(async (file: string, options: { format?: string; batchSize: number }) => {
      const format = (options.format ?? (file.endsWith('.csv') ? 'csv' : 'ndjson')) as 'ndjson' | 'csv';
      if (format !== 'ndjson' && format !== 'csv') throw new Error('--format must be ndjson or csv');
      if (!fs.existsSync(file)) throw new Error(`${file} does not exist`);
      const result = await importFile(file, format, options.batchSize);
      console.log(
        `${result.stopped ? 'interrupted (run the same command again to resume)' : 'imported'}: ${result.stored} new, ${result.duplicates} already stored, ${result.rejected} rejected${result.rejected ? ` (see ${result.rejectedFile})` : ''}`,
      );
      if (result.rejected > 0) process.exitCode = 2;
    });
}

export async function importFile(file: string, format: 'ndjson' | 'csv', batchSize = 1000, env: Record<string, string | undefined> = {}) {
  const stores = await openStores(env);
  const signal = interruptible();
  const rejectedFile = `${file}.rejected.ndjson`;
  const rejectedOut = fs.createWriteStream(rejectedFile);
  const bytes = fs.statSync(file).size;
  const bar = new SingleBar(
    { format: `import ${path.basename(file)} |{bar}| {percentage}% {stored} new, {duplicates} known, {rejected} rejected`, hideCursor: true },
    Presets.shades_classic,
  );
  const totals = { stored: 0, duplicates: 0, rejected: 0 };
  const reject = (r: Rejected, text?: string) => {
    totals.rejected++;
    let line: string;
    try {
      line = JSON.stringify(r);
    } catch {
      // nested too deep for JSON.stringify: keep the line as it was written
      line = JSON.stringify({ ...r, raw: text });
    }
    rejectedOut.write(`${line}\n`);
  };
  let batch: { line: number; command: CustomerCommand; raw: unknown; text: string }[] = [];
  const states = new CustomerStateCache();
  const flush = async () => {
    // Events that break a rule or reuse an eventId are set aside with the reason; the rest is recorded.
    const { recorded, setAside } = await recordOrSetAside(
      stores.store,
      batch.map((b) => b.command),
      { personal: stores.personal, states },
    );
    for (const aside of setAside) {
      const b = batch[aside.index];
      reject({ line: b.line, reason: aside.rule ? `${aside.rule}: ${aside.detail}` : aside.detail, raw: b.raw }, b.text);
    }
    for (const r of recorded) {
      if (r) totals[r.duplicate ? 'duplicates' : 'stored']++;
    }
    batch = [];
  };
  try {
    bar.start(100, 0, totals);
    let read = 0;
    for await (const record of readEvents(file, format)) {
      if ('error' in record) {
        reject({ line: record.line, reason: record.error, raw: record.raw });
        continue;
      }
      const parsed = parseWireEvent(record.event, record.line, {
        timeZone: stores.config.timeZone,
        now: new Date(),
        limits: stores.config.wireLimits,
        eventIdWhenAbsent: record.eventIdWhenAbsent,
      });
      if (!parsed.ok) reject({ line: record.line, reason: parsed.errors.map((e) => `${e.field}: ${e.reason}`).join('; '), raw: record.event }, record.text);
      else batch.push({ line: record.line, command: parsed.command, raw: record.event, text: record.text });
      read += Buffer.byteLength(record.text) + 1;
      if (batch.length >= batchSize) {
        await flush();
        bar.update(Math.min(99, Math.round((read / bytes) * 100)), totals);
        if (signal.stopped) break;
      }
    }
    if (!signal.stopped) await flush();
    bar.update(100, totals);
    bar.stop();
    return { ...totals, rejectedFile, stopped: signal.stopped };
  } finally {
    bar.stop();
    await new Promise((resolve) => rejectedOut.end(resolve));
    if (totals.rejected === 0) fs.rmSync(rejectedFile, { force: true });
    await stores.close();
  }
}
