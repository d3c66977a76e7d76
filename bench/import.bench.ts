import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * `journeyline import` of a large file, as a user runs it (the built CLI, `node
 * dist/apps/cli/src/main.js import FILE`, in a process of its own so its peak RSS is its own):
 * BENCH_IMPORT_ROWS rows (default 1,000,000) written into a temporary directory as Excel writes
 * them under Vietnamese regional settings (a byte-order mark, `;`, `dd/mm/yyyy HH:mm` dates,
 * `1.990.000` amounts, quoted comments with `;` and line breaks), then the same rows as NDJSON,
 * each into an empty store of its own, one after the other on an otherwise idle machine (run
 * alone: another benchmark beside it skews both). Writes bench/results/import.json and import.md,
 * and prints {"rows", "csv", "ndjson", "csvToNdjson"} as one JSON line on stdout.
 */
const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const CUSTOMERS = Math.max(1, Math.round(ROWS / 10));
const COMPILED = __filename.endsWith('.js');
const ROOT = path.resolve(__dirname, COMPILED ? '../..' : '..');
const RESULTS = path.join(ROOT, 'bench', 'results');

const HEADER = [
  'eventId',
  'type',
  'customerId',
  'occurredAt',
  'touchpoint',
  'channel',
  'stage',
  'kind',
  'score',
  'scale',
  'comment',
  'orderId',
  'amount',
  'currency',
];
const TOUCHPOINTS: [string, string, string][] = [
  ['web:ads-tet', 'web', 'awareness'],
  ['social:facebook-post', 'social', 'awareness'],
  ['web:pricing', 'web', 'evaluation'],
  ['web:so-sanh', 'web', 'evaluation'],
  ['store:hcm-q1', 'store', 'choice'],
  ['web:gio-hang', 'web', 'choice'],
  ['mobile:app-home', 'mobile', 'use'],
  ['zalo-oa', 'chat', 'use'],
  ['hotline', 'phone', 'use'],
  ['email:gioi-thieu', 'email', 'advocacy'],
];
const COMMENTS = ['Nhân viên hỗ trợ nhanh', 'Giao hàng chậm; phải gọi lại hai lần', 'Ứng dụng dễ dùng\nsẽ giới thiệu bạn bè', 'Giá hơi cao', ''];

/** Row `i` as cells (strings as a spreadsheet holds them) and as the wire event the same row records. */
function row(i: number): { cells: string[]; event: Record<string, unknown> } {
  const customerId = `kh-${String(i % CUSTOMERS).padStart(7, '0')}`;
  const at = new Date(Date.UTC(2026, 0, 1, 2) + (i % 300) * 86_400_000 + (i % 600) * 60_000);
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  const iso = `${local.getUTCFullYear()}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())}T${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:00+07:00`;
  const [touchpoint, channel, stage] = TOUCHPOINTS[i % TOUCHPOINTS.length];
  const eventId = `bench-import-${i}`;
  const base = { eventId, customerId, occurredAt: iso };
  const cells = (type: string, rest: Partial<Record<(typeof HEADER)[number], string>>) =>
    HEADER.map((column) => ({ eventId, type, customerId, occurredAt: date, ...rest })[column] ?? '');
  switch (i % 10) {
    case 7: {
      const [kind, scale, score] = [
        ['nps', '0-10', i % 11],
        ['csat', '1-5', 1 + (i % 5)],
        ['ces', '1-7', 1 + (i % 7)],
      ][i % 3] as [string, string, number];
      const comment = COMMENTS[i % COMMENTS.length];
      return {
        cells: cells('feedback.given', { touchpoint, channel, stage, kind, score: String(score), scale, comment }),
        event: { ...base, type: 'feedback.given', data: { kind, score, scale, touchpoint, channel, stage, ...(comment ? { comment } : {}) } },
      };
    }
    case 8: {
      const amount = 100_000 * (1 + (i % 40));
      return {
        cells: cells('purchase.made', { orderId: `dh-${i}`, amount: amount.toLocaleString('de-DE'), currency: 'VND' }),
        event: { ...base, type: 'purchase.made', data: { orderId: `dh-${i}`, amount, currency: 'VND' } },
      };
    }
    default:
      return {
        cells: cells('touchpoint.visited', { touchpoint, channel, stage }),
        event: { ...base, type: 'touchpoint.visited', data: { touchpoint, channel, stage } },
      };
  }
}

/** Writes the CSV (BOM, `;`, CRLF, quotes where needed) and the NDJSON of the same rows. */
async function writeFiles(dir: string): Promise<{ csv: string; ndjson: string }> {
  const csv = path.join(dir, 'su-kien.csv');
  const ndjson = path.join(dir, 'su-kien.ndjson');
  const cell = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const csvOut = fs.createWriteStream(csv);
  const ndOut = fs.createWriteStream(ndjson);
  const write = (out: fs.WriteStream, text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((resolve) => out.once('drain', resolve)));
  await write(csvOut, `\ufeff${HEADER.join(';')}\r\n`);
  for (let i = 0; i < ROWS; i += 10_000) {
    const csvLines: string[] = [];
    const ndLines: string[] = [];
    for (let j = i; j < Math.min(ROWS, i + 10_000); j++) {
      const { cells, event } = row(j);
      csvLines.push(`${cells.map(cell).join(';')}\r\n`);
      ndLines.push(`${JSON.stringify(event)}\n`);
    }
    await write(csvOut, csvLines.join(''));
    await write(ndOut, ndLines.join(''));
  }
  await Promise.all([csvOut, ndOut].map((out) => new Promise((resolve) => out.end(resolve))));
  return { csv, ndjson };
}

interface ImportRun {
  rows: number;
  stored: number;
  rejected: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMiB: number;
  fileMiB: number;
}

/** `journeyline import FILE` into an empty store; its peak RSS read from /proc while it runs (VmHWM only grows). */
function importRun(file: string, dataDir: string): Promise<ImportRun> {
  const args = COMPILED
    ? [path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js'), 'import', file]
    : ['-r', '@swc-node/register', path.join(ROOT, 'apps', 'cli', 'src', 'main.ts'), 'import', file];
  const started = process.hrtime.bigint();
  const proc = spawn(process.execPath, args, {
    env: { ...process.env, JOURNEYLINE_DATA_DIR: dataDir, JOURNEYLINE_LOG_FORMAT: 'json', SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let peakKiB = 0;
  const poll = setInterval(() => {
    try {
      peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? 0));
    } catch {
      // the process has just exited
    }
  }, 100);
  let out = '';
  proc.stdout.on('data', (chunk) => (out += chunk));
  return new Promise((resolve, reject) => {
    proc.on('exit', (code) => {
      clearInterval(poll);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const counts = /imported (\d+) rows: (\d+) new, \d+ already stored, (\d+) rejected/.exec(out);
      if (code !== 0 || !counts) return reject(new Error(`import of ${path.basename(file)} exited with ${code}: ${out.trim()}`));
      const rows = Number(counts[1]);
      resolve({
        rows,
        stored: Number(counts[2]),
        rejected: Number(counts[3]),
        seconds: Number(seconds.toFixed(1)),
        rowsPerSecond: Math.round(rows / seconds),
        peakRssMiB: Math.round(peakKiB / 1024),
        fileMiB: Number((fs.statSync(file).size / 1024 / 1024).toFixed(1)),
      });
    });
  });
}

interface ImportBenchResult {
  rows: number;
  customers: number;
  csv: ImportRun;
  ndjson: ImportRun;
  csvToNdjson: number;
}

function report(r: ImportBenchResult): string {
  const line = (name: string, run: ImportRun) =>
    `| ${name} | ${run.fileMiB} MiB | ${run.rowsPerSecond} | ${run.seconds} | ${run.stored} / ${run.rejected} | ${run.peakRssMiB} MiB |`;
  return [
    `# journeyline import, ${r.rows} rows (${new Date().toISOString()}, ${os.cpus().length} cores, Node ${process.version})`,
    '',
    `${r.rows} rows for ${r.customers} customers (8 in 10 touchpoint visits, 1 feedback of NPS, CSAT or CES with Vietnamese comments, 1 purchase), each file imported by the built CLI (\`node dist/apps/cli/src/main.js import FILE\`) into an empty SQLite store, in a process of its own. The CSV as Excel writes it under Vietnamese regional settings: a byte-order mark, \`;\`, CRLF, \`dd/mm/yyyy HH:mm\` dates read in Asia/Ho_Chi_Minh, \`1.990.000\` amounts, quoted comments holding \`;\` and line breaks.`,
    '',
    '| file | size | rows/s | seconds | stored / rejected | peak RSS |',
    '|---|---|---|---|---|---|',
    line('CSV', r.csv),
    line('NDJSON (the same rows)', r.ndjson),
    '',
    `CSV ÷ NDJSON rows/s: ${r.csvToNdjson}.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-bench-import-'));
  try {
    process.stderr.write(`bench import: writing ${ROWS} rows as CSV and NDJSON into ${dir}\n`);
    const files = await writeFiles(dir);
    process.stderr.write('bench import: CSV\n');
    const csv = await importRun(files.csv, path.join(dir, 'csv-store'));
    process.stderr.write('bench import: NDJSON\n');
    const ndjson = await importRun(files.ndjson, path.join(dir, 'ndjson-store'));
    const result: ImportBenchResult = {
      rows: ROWS,
      customers: CUSTOMERS,
      csv,
      ndjson,
      csvToNdjson: Number((csv.rowsPerSecond / ndjson.rowsPerSecond).toFixed(2)),
    };
    fs.mkdirSync(RESULTS, { recursive: true });
    const machine = { date: new Date().toISOString(), cpus: os.cpus().length, node: process.version };
    fs.writeFileSync(path.join(RESULTS, 'import.json'), `${JSON.stringify({ ...machine, ...result }, null, 2)}\n`);
    fs.writeFileSync(path.join(RESULTS, 'import.md'), report(result));
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
