import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { buildCli } from '../apps/cli/src/main';
import { importFile } from '../apps/cli/src/commands/import.command';
import { bearer, http, settled, startServer, tempDataDir, TEST_ADMIN_KEY, type RunningServer } from './support/running-server';

/**
 * Importing what people have, from the CLI and over HTTP: a CSV as Excel writes it under
 * Vietnamese regional settings, an .xlsx workbook, columns named otherwise, dates in other forms;
 * bad rows set aside in a CSV to fix in the same spreadsheet (exit status 0), files that are not
 * tables of events refused in one line, an interrupted import that exits non-zero and resumes.
 */
const ROOT = path.resolve(__dirname, '..');
const HEADER = ['eventId', 'type', 'customerId', 'occurredAt', 'touchpoint', 'channel', 'stage', 'kind', 'score', 'scale', 'comment', 'orderId', 'amount'];

/** Three good rows and three bad ones (a score outside its scale, a day that does not exist, an unknown stage), as cells. */
function rows(customerId: string): string[][] {
  const id = (n: number) => `${customerId}-${n}`;
  return [
    [id(1), 'touchpoint.visited', customerId, '20/11/2026 09:15', 'web:pricing', 'web', 'evaluation', '', '', '', '', '', ''],
    [
      id(2),
      'feedback.given',
      customerId,
      '20/11/2026 09:30',
      'hotline',
      'phone',
      'use',
      'nps',
      '9',
      '0-10',
      'Nhân viên hỗ trợ nhanh;\nsẽ giới thiệu bạn bè',
      '',
      '',
    ],
    [id(3), 'purchase.made', customerId, '21/11/2026 10:00', '', '', '', '', '', '', '', 'o-1', '1.990.000,50'],
    [id(4), 'feedback.given', customerId, '21/11/2026', 'hotline', 'phone', 'use', 'nps', '11', '0-10', '', '', ''],
    [id(5), 'touchpoint.visited', customerId, '32/11/2026 10:00', 'web', 'web', 'use', '', '', '', '', '', ''],
    [id(6), 'touchpoint.visited', customerId, '21/11/2026 10:00', 'web', 'web', 'loyalty', '', '', '', '', '', ''],
  ];
}

/** What Excel writes with Vietnamese regional settings: `;`, a byte-order mark, CRLF, quotes where needed. */
function vietnameseCsv(customerId: string): string {
  const cell = (value: string) => (/[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return `\ufeff${[HEADER, ...rows(customerId)].map((row) => row.map(cell).join(';')).join('\r\n')}\r\n`;
}

async function workbook(sheetRows: unknown[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Sự kiện');
  for (const row of sheetRows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** `journeyline <args>` in this process: what it printed on stdout and the exit status it set. */
async function cli(dataDir: string, ...args: string[]): Promise<{ out: string; exitCode: number }> {
  const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  const saved = process.env.JOURNEYLINE_DATA_DIR;
  process.env.JOURNEYLINE_DATA_DIR = dataDir;
  try {
    await buildCli().parseAsync(['node', 'journeyline', ...args]);
    return { out: log.mock.calls.flat().join('\n'), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    process.env.JOURNEYLINE_DATA_DIR = saved;
    process.exitCode = undefined;
  }
}

async function journeyOf(server: RunningServer, customerId: string) {
  await settled(server);
  const answer = await http(server, 'GET', `/api/v1/customers/${customerId}/journey`);
  expect(answer.status).toBe(200);
  return answer.body;
}

/** The good rows of `rows(customerId)`, as the journey shows them. */
async function expectGoodRowsStored(server: RunningServer, customerId: string): Promise<void> {
  const journey = await journeyOf(server, customerId);
  expect(journey.feedback).toEqual([
    expect.objectContaining({ eventId: `${customerId}-2`, at: '2026-11-20T02:30:00.000Z', score: 9, comment: 'Nhân viên hỗ trợ nhanh;\nsẽ giới thiệu bạn bè' }),
  ]);
  expect(journey.purchases).toEqual([expect.objectContaining({ orderId: 'o-1', amount: 1_990_000.5, currency: 'VND', at: '2026-11-21T03:00:00.000Z' })]);
  expect(journey.stages.map((s: { stage: string; enteredAt: string }) => [s.stage, s.enteredAt])).toEqual([
    ['evaluation', '2026-11-20T02:15:00.000Z'],
    ['purchase', '2026-11-21T03:00:00.000Z'],
  ]);
}

function expectRejectsFile(file: string, delimiter: string, customerId: string): void {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.startsWith('\ufeff')).toBe(true);
  const [header, ...rejected] = parse(text, { bom: true, delimiter }) as string[][];
  expect(header).toEqual([...HEADER, 'reason']);
  expect(rejected.map((row) => row.slice(0, -1))).toEqual(rows(customerId).slice(3));
  expect(rejected.map((row) => row[row.length - 1])).toEqual([
    expect.stringMatching(/^row 5: feedback-score-outside-scale: nps score 11 is outside scale 0-10/),
    expect.stringMatching(/^row 6: occurredAt "32\/11\/2026 10:00" is not a date/),
    expect.stringMatching(/^row 7: data\.stage: stage must be one of awareness, /),
  ]);
}

describe('import (e2e)', () => {
  describe('journeyline import', () => {
    const dataDir = tempDataDir('journeyline-import-');
    let server: RunningServer | undefined;
    afterAll(async () => {
      await server?.stop();
    });

    it('reads a Vietnamese Excel CSV: good rows stored, bad ones in <file>.rejected.csv with the reason, exit status 0; again: nothing new', async () => {
      const file = path.join(dataDir, 'khach-hang.csv');
      fs.writeFileSync(file, vietnameseCsv('vn-csv'));
      const first = await cli(dataDir, 'import', file);
      expect(first).toEqual({ out: `imported 6 rows: 3 new, 0 already stored, 3 rejected (see ${file}.rejected.csv)`, exitCode: 0 });
      expectRejectsFile(`${file}.rejected.csv`, ';', 'vn-csv');
      const again = await cli(dataDir, 'import', file);
      expect(again).toEqual({ out: `imported 6 rows: 0 new, 3 already stored, 3 rejected (see ${file}.rejected.csv)`, exitCode: 0 });
    });

    it('imports the fixed rejects file as it is (its reason column is left out)', async () => {
      const rejects = path.join(dataDir, 'fix.csv.rejected.csv');
      fs.writeFileSync(path.join(dataDir, 'fix.csv'), vietnameseCsv('vn-fix'));
      await cli(dataDir, 'import', path.join(dataDir, 'fix.csv'));
      const fixed = fs.readFileSync(rejects, 'utf8').replace(';11;', ';10;').replace('32/11/2026', '22/11/2026').replace('loyalty', 'advocacy');
      fs.writeFileSync(rejects, fixed);
      expect(await cli(dataDir, 'import', rejects)).toEqual({ out: 'imported 3 rows: 3 new, 0 already stored, 0 rejected', exitCode: 0 });
      expect(fs.existsSync(`${rejects}.rejected.csv`)).toBe(false);
    });

    it('reads an .xlsx workbook the same way (date cells, number cells, text), rejects in a CSV', async () => {
      const file = path.join(dataDir, 'khach-hang.xlsx');
      const cells = rows('vn-xlsx').map((row) => row.map((value) => (value === '' ? null : value)));
      cells[0][3] = new Date(Date.UTC(2026, 10, 20, 9, 15)) as unknown as string;
      cells[1][8] = 9 as unknown as string;
      cells[2][12] = 1990000.5 as unknown as string;
      fs.writeFileSync(file, await workbook([HEADER, ...cells]));
      const result = await cli(dataDir, 'import', file);
      expect(result).toEqual({ out: `imported 6 rows: 3 new, 0 already stored, 3 rejected (see ${file}.rejected.csv)`, exitCode: 0 });
      const rejected = parse(fs.readFileSync(`${file}.rejected.csv`, 'utf8'), { bom: true }) as string[][];
      expect(rejected.map((row) => row[0])).toEqual(['eventId', 'vn-xlsx-4', 'vn-xlsx-5', 'vn-xlsx-6']);
    });

    it('reads columns named otherwise (--columns, --columns-file) and dates in a given format (--date-format)', async () => {
      const file = path.join(dataDir, 'phan-hoi.csv');
      fs.writeFileSync(
        file,
        'Mã KH,Ngày,Loại,Chỉ số,Điểm,Thang,Điểm chạm,Kênh,Ghi chú nội bộ\n' +
          'vn-map,11/20/2026 08:00,feedback.given,nps,8,0-10,hotline,phone,gọi lại\n' +
          'vn-map,11/21/2026 08:00,feedback.given,nps,10,0-10,hotline,phone,\n',
      );
      const mapping = path.join(dataDir, 'mapping.json');
      fs.writeFileSync(mapping, JSON.stringify({ 'Điểm chạm': 'touchpoint', Kênh: 'channel', 'Ghi chú nội bộ': null }));
      const result = await cli(
        dataDir,
        'import',
        file,
        '--columns',
        'Mã KH=customerId,Ngày=occurredAt,Loại=type,Chỉ số=kind,Điểm=score,Thang=scale',
        '--columns-file',
        mapping,
        '--date-format',
        'MM/dd/yyyy HH:mm',
      );
      expect(result).toEqual({ out: 'imported 2 rows: 2 new, 0 already stored, 0 rejected', exitCode: 0 });
      server = await startServer({}, dataDir);
      const journey = await journeyOf(server, 'vn-map');
      expect(journey.feedback.map((f: { at: string; score: number; touchpoint: string }) => [f.at, f.score, f.touchpoint])).toEqual([
        ['2026-11-20T01:00:00.000Z', 8, 'hotline'],
        ['2026-11-21T01:00:00.000Z', 10, 'hotline'],
      ]);
      await expectGoodRowsStored(server, 'vn-csv');
      await expectGoodRowsStored(server, 'vn-xlsx');
      await server.stop();
      server = undefined;
    });

    it('refuses a mapping to unknown fields, and a bad date format, at start, listing what is valid', async () => {
      const file = path.join(dataDir, 'khach-hang.csv');
      await expect(cli(dataDir, 'import', file, '--columns', 'Mã KH=customer_id')).rejects.toThrow(
        /unknown field\(s\) in the column mapping: customer_id; the fields are eventId, type, customerId, occurredAt, touchpoint, /,
      );
      await expect(cli(dataDir, 'import', file, '--date-format', 'yyyy')).rejects.toThrow(/does not read a day, month and year/);
      await expect(cli(dataDir, 'import', file, '--delimiter', ':')).rejects.toThrow(/the delimiter must be one of/);
    });

    it('refuses a binary file, a workbook that does not open and an old .xls in one line, never reading them as JSON', async () => {
      const garbage = path.join(dataDir, 'events.ndjson');
      fs.writeFileSync(garbage, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
      await expect(cli(dataDir, 'import', garbage)).rejects.toThrow(/^events\.ndjson is a binary file, not NDJSON, CSV or \.xlsx$/);
      const fake = path.join(dataDir, 'fake.xlsx');
      fs.writeFileSync(fake, 'type,customerId\n');
      await expect(cli(dataDir, 'import', fake)).rejects.toThrow(/^fake\.xlsx is text, not an \.xlsx workbook/);
      const broken = path.join(dataDir, 'broken.xlsx');
      fs.writeFileSync(broken, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]));
      await expect(cli(dataDir, 'import', broken)).rejects.toThrow(/not an \.xlsx workbook that opens/);
      const xls = path.join(dataDir, 'old.xls');
      fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
      await expect(cli(dataDir, 'import', xls)).rejects.toThrow(/Excel 97-2003 workbook \(\.xls\).*save it as \.xlsx/);
    });

    it('shows its first progress line before the first batch, and exits 130 when interrupted, saying how to resume; run again, it finishes', async () => {
      const file = path.join(dataDir, 'many.csv');
      const lines = ['type,customerId,occurredAt,touchpoint,channel,stage'];
      for (let i = 0; i < 20_000; i++)
        lines.push(`touchpoint.visited,many-${i % 2000},2026-11-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00+07:00,web:${i},web,awareness`);
      fs.writeFileSync(file, `${lines.join('\n')}\n`);
      const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'import', file, '--batch-size', '100'], {
        cwd: ROOT,
        env: { ...process.env, JOURNEYLINE_DATA_DIR: dataDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk) => (out += chunk));
      const firstProgress = new Promise<string>((resolve) =>
        child.stderr.on('data', (chunk) => {
          err += chunk;
          if (/\n/.test(err)) resolve(err.split('\n')[0]);
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      expect(await firstProgress).toMatch(/^import many\.csv \|.*\| 0% 0 rows: 0 new, 0 known, 0 rejected$/);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(out).toMatch(/^interrupted after \d+ rows: \d+ new, 0 already stored, 0 rejected; run the same command again to resume\n$/);
      const storedBefore = Number(/: (\d+) new/.exec(out)![1]);
      expect(storedBefore).toBeLessThan(20_000);
      const resumed = await importFile(file, 'csv', 1000, { JOURNEYLINE_DATA_DIR: dataDir });
      expect(resumed).toMatchObject({ records: 20_000, stored: 20_000 - storedBefore, duplicates: storedBefore, rejected: 0, stopped: false });
    }, 60_000);
  });

  describe('POST /api/v1/import (admin)', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ JOURNEYLINE_IMPORT_BODY_LIMIT: String(256 * 1024) });
    });
    afterAll(async () => {
      await server?.stop();
    });

    async function upload(query: string, body: string | Buffer, type: string | null, headers: Record<string, string> = bearer(TEST_ADMIN_KEY)) {
      const response = await fetch(`${server.url}/api/v1/import${query}`, {
        method: 'POST',
        headers: { ...(type ? { 'content-type': type } : {}), ...headers },
        body: typeof body === 'string' ? body : new Uint8Array(body),
      });
      const text = await response.text();
      return { status: response.status, body: JSON.parse(text), type: response.headers.get('content-type') };
    }

    it('imports a Vietnamese Excel CSV: stored, set aside with line and reason; sent again: duplicates', async () => {
      const first = await upload('', vietnameseCsv('up-csv'), 'text/csv; charset=utf-8');
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        stored: 3,
        duplicates: 0,
        rejected: 3,
        rejects: [
          { line: 5, reason: expect.stringMatching(/^feedback-score-outside-scale: /) },
          { line: 6, reason: expect.stringMatching(/^occurredAt "32\/11\/2026 10:00" is not a date/) },
          { line: 7, reason: expect.stringMatching(/^data\.stage: /) },
        ],
      });
      await expectGoodRowsStored(server, 'up-csv');
      expect((await upload('', vietnameseCsv('up-csv'), 'text/csv')).body).toMatchObject({ stored: 0, duplicates: 3, rejected: 3 });
    });

    it('imports an .xlsx workbook (its own type, or octet-stream with format=xlsx) with columns and a date format', async () => {
      const book = await workbook([
        ['Mã KH', 'Loại', 'Ngày', 'Đơn', 'Số tiền'],
        ['up-xlsx', 'purchase.made', '2026.11.20 10:15', 'o-7', 250000],
        ['up-xlsx', 'purchase.made', '2026.11.21 10:15', 'o-8', 'nhiều'],
      ]);
      const query = `?columns=${encodeURIComponent('Mã KH=customerId,Loại=type,Ngày=occurredAt,Đơn=orderId,Số tiền=amount')}&dateFormat=${encodeURIComponent('yyyy.MM.dd HH:mm')}`;
      const answer = await upload(query, book, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(answer).toMatchObject({
        status: 200,
        body: { stored: 1, duplicates: 0, rejected: 1, rejects: [{ line: 3, reason: expect.stringMatching(/amount must be a number/) }] },
      });
      const again = await upload(`${query}&format=xlsx`, book, 'application/octet-stream');
      expect(again).toMatchObject({ status: 200, body: { stored: 0, duplicates: 1, rejected: 1 } });
      const journey = await journeyOf(server, 'up-xlsx');
      expect(journey.purchases).toEqual([expect.objectContaining({ orderId: 'o-7', amount: 250000, at: '2026-11-20T03:15:00.000Z' })]);
    });

    it('imports NDJSON', async () => {
      const line = {
        eventId: 'up-nd-1',
        type: 'touchpoint.visited',
        customerId: 'up-nd',
        occurredAt: '2026-11-20T09:00:00+07:00',
        data: { touchpoint: 'zalo-oa', channel: 'social', stage: 'awareness' },
      };
      expect(await upload('', `${JSON.stringify(line)}\nnot json\n`, 'application/x-ndjson')).toMatchObject({
        status: 200,
        body: { stored: 1, rejected: 1, rejects: [{ line: 2, reason: expect.stringMatching(/^malformed JSON/) }] },
      });
    });

    it('refuses what it cannot read: 415 for another type, 400 for an unreadable file or a bad option, 413 above its limit', async () => {
      const refused = async (query: string, body: string | Buffer, type: string | null, status: number, field: string, reason: RegExp) => {
        const answer = await upload(query, body, type);
        expect([answer.status, answer.type, answer.body.errors[0].field]).toEqual([status, expect.stringMatching(/^application\/json/), field]);
        expect(answer.body.errors[0].reason).toMatch(reason);
      };
      await refused('', '{}', 'application/json', 415, 'content-type', /text\/csv, application\/x-ndjson/);
      await refused('', 'a,b', 'text/plain', 415, 'content-type', /JSON events go to POST \/api\/v1\/events\/batch/);
      await refused('', Buffer.from([1, 2, 3]), 'image/png', 415, 'content-type', /./);
      await refused('', Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 256)), 'text/csv', 400, 'body', /is a binary file/);
      await refused(
        '',
        'type,customerId\n',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        400,
        'format',
        /is text, not an \.xlsx workbook/,
      );
      await refused('', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 1)]), 'application/octet-stream', 400, 'format', /say the format/);
      await refused(
        '?format=xlsx',
        Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 1)]),
        'application/octet-stream',
        400,
        'body',
        /not an \.xlsx workbook that opens/,
      );
      await refused('?format=csv', 'a', 'application/x-ndjson', 400, 'format', /content type says ndjson/);
      await refused('?columns=A%3Dcolour', 'A\n1\n', 'text/csv', 400, 'columns', /unknown field\(s\) in the column mapping: colour/);
      await refused('?delimiter=x', 'A\n1\n', 'text/csv', 400, 'delimiter', /the delimiter must be one of/);
      await refused('?colour=red', 'A\n1\n', 'text/csv', 400, 'colour', /unknown parameter colour/);
      await refused('', 'type,customerId\ntouchpoint.visited,"c-1\n', 'text/csv', 400, 'body', /from line 2: a quote \("\) opened there is never closed/);
      await refused('', '', 'text/csv', 400, 'body', /request body/);
      await refused('', 'x'.repeat(300 * 1024), 'text/csv', 413, 'body', /JOURNEYLINE_IMPORT_BODY_LIMIT/);
    });

    it('needs an admin key: 401 without one, 403 with a read or ingest key', async () => {
      const none = await upload('', vietnameseCsv('up-denied'), 'text/csv', {});
      expect([none.status, none.body.errors[0].field]).toEqual([401, 'authorization']);
      for (const scope of ['read', 'ingest']) {
        const key = (await http(server, 'POST', '/api/v1/keys', { name: `up ${scope}`, scopes: [scope] })).body.key;
        const denied = await upload('', vietnameseCsv('up-denied'), 'text/csv', bearer(key));
        expect([denied.status, denied.body.message]).toEqual([403, expect.stringContaining('needs admin')]);
      }
      expect((await http(server, 'GET', '/api/v1/customers/up-denied/journey')).status).toBe(404);
    });

    it('is recorded in the audit trail', async () => {
      const audit = await http(server, 'GET', '/api/v1/audit?limit=100');
      expect(audit.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ action: 'events.imported', details: expect.objectContaining({ format: 'csv', stored: 3 }) })]),
      );
    });
  });
});
