import ExcelJS from 'exceljs';
import { SqliteEventStore } from '@journeyline/event-store';
import { customerStreamId } from '@journeyline/journey';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { columnsOption } from './column-mapping';
import { fileInMemory, openEventFile, type FileReading, type FileRecord } from './event-file';
import { importEvents, type RejectedRecord } from './import-events';

const reading: FileReading = { timeZone: 'Asia/Ho_Chi_Minh' };

async function recordsOf(bytes: Buffer, name: string, options: Partial<FileReading> = {}): Promise<FileRecord[]> {
  const file = await openEventFile(fileInMemory(bytes, name), { ...reading, ...options });
  const records: FileRecord[] = [];
  for await (const record of file.records) records.push(record);
  return records;
}

const events = (records: FileRecord[]) => records.map((r) => ('event' in r ? r.event : { error: r.error }));

/** What Excel writes under Vietnamese regional settings: `;`, a byte-order mark, day-first dates, decimal commas, CRLF. */
const VIETNAMESE_CSV =
  '\ufefftype;customerId;occurredAt;orderId;amount;kind;score;comment\r\n' +
  'purchase.made;c-1;20/11/2026 09:15;o-1;1.990.000;;;\r\n' +
  'feedback.given;c-1;21/11/2026;;;csat;5;"Tốt; giao nhanh\r\nsẽ mua lại"\r\n' +
  ';;;;;;;\r\n';

describe('reading files of events', () => {
  it('reads a Vietnamese Excel CSV: separator, BOM, dates in the zone, decimal commas, quoted line breaks', async () => {
    const records = await recordsOf(Buffer.from(VIETNAMESE_CSV), 'khach-hang.csv');
    expect(events(records)).toEqual([
      { type: 'purchase.made', customerId: 'c-1', occurredAt: '2026-11-20T09:15:00+07:00', data: { orderId: 'o-1', amount: 1_990_000 } },
      {
        type: 'feedback.given',
        customerId: 'c-1',
        occurredAt: '2026-11-21T00:00:00+07:00',
        data: { kind: 'csat', score: 5, comment: 'Tốt; giao nhanh\r\nsẽ mua lại' },
      },
    ]);
    expect(records.map((r) => r.line)).toEqual([2, 3]);
  });

  it('reads the first worksheet of a workbook: date cells, numbers, text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Khách hàng');
    sheet.addRow(['Loại', 'Mã KH', 'Ngày', 'Đơn', 'Số tiền']);
    sheet.addRow(['purchase.made', 1042, new Date(Date.UTC(2026, 10, 20, 9, 15)), 'o-9', 1990000.5]);
    sheet.addRow(['purchase.made', 'c-2', '20/11/2026 10:00', 'o-10', '1.990.000']);
    sheet.getCell('C2').numFmt = 'dd/mm/yyyy hh:mm';
    workbook.addWorksheet('Ghi chú').addRow(['not read']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const records = await recordsOf(bytes, 'upload', { columns: columnsOption('Loại=type,Mã KH=customerId,Ngày=occurredAt,Đơn=orderId,Số tiền=amount') });
    expect(events(records)).toEqual([
      { type: 'purchase.made', customerId: '1042', occurredAt: '2026-11-20T09:15:00+07:00', data: { orderId: 'o-9', amount: 1990000.5 } },
      { type: 'purchase.made', customerId: 'c-2', occurredAt: '2026-11-20T10:00:00+07:00', data: { orderId: 'o-10', amount: 1_990_000 } },
    ]);
  });

  it('reads a workbook whole when the unzip ends before exceljs has set its first worksheet aside', async () => {
    // exceljs writes a worksheet it meets before the shared strings to a temporary file; a slow
    // disk there let unzipper's early 'end' cut off the entries after it (xl/workbook.xml last).
    const tmp = jest.requireActual<{ file: (callback: (...args: unknown[]) => void) => void }>('tmp');
    const file = tmp.file;
    const slowDisk = jest.spyOn(tmp, 'file').mockImplementation((callback) => void setTimeout(() => file.call(tmp, callback), 100));
    try {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Sự kiện');
      sheet.addRow(['type', 'customerId', 'occurredAt', 'orderId']);
      for (let order = 1; order <= 3; order++) sheet.addRow(['purchase.made', `c-${order}`, '20/11/2026 10:00', `o-${order}`]);
      const records = await recordsOf(Buffer.from(await workbook.xlsx.writeBuffer()), 'slow-disk.xlsx');
      expect(slowDisk).toHaveBeenCalled();
      expect(events(records).map((event) => ('customerId' in event ? event.customerId : event))).toEqual(['c-1', 'c-2', 'c-3']);
    } finally {
      slowDisk.mockRestore();
    }
  });

  it('refuses what cannot be imported at all, in one line, before reading a record', async () => {
    const open = (bytes: Buffer, name: string, options: Partial<FileReading> = {}) => openEventFile(fileInMemory(bytes, name), { ...reading, ...options });
    await expect(open(Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff, 0xfe, 0x00, 0x00, 0x10]), 'data.ndjson')).rejects.toThrow(/^data\.ndjson is a binary file/);
    await expect(open(Buffer.from('type,customerId\n'), 'events.xlsx')).rejects.toThrow(/is text, not an \.xlsx workbook/);
    await expect(open(Buffer.from('{"type":"x"}\n'), 'events.ndjson', { delimiter: ';' })).rejects.toThrow(/delimiter applies to CSV/);
    const broken = await open(Buffer.from('PK\u0003\u0004 not really a zip'), 'broken.xlsx').then(
      async (file) => {
        for await (const _ of file.records) void _;
        return 'read';
      },
      (error: Error) => error.message,
    );
    expect(broken).toMatch(/not an \.xlsx workbook that opens/);
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sự kiện').addRow(['type', 'customerId']);
    const whole = Buffer.from(await workbook.xlsx.writeBuffer());
    const cutShort = await open(whole.subarray(0, whole.length - 30), 'cut-short.xlsx').then(
      async (file) => {
        for await (const _ of file.records) void _;
        return 'read';
      },
      (error: Error) => error.message,
    );
    expect(cutShort).toMatch(/not an \.xlsx workbook that opens \(FILE_ENDED\)/);
  });

  it('throws at the line where CSV stops being readable', async () => {
    const records = recordsOf(Buffer.from('type,customerId\ntouchpoint.visited,c-1\ntouchpoint.visited,"c-2\n'), 'open-quote.csv');
    await expect(records).rejects.toThrow(/cannot be read as CSV from line 3: a quote \(\"\) opened there is never closed/);
  });

  it('gives rows without an eventId one derived from their content and line, the same on every read', async () => {
    const csv = Buffer.from('type,customerId,touchpoint,channel,stage\ntouchpoint.visited,c-1,web,web,awareness\n');
    const [first] = await recordsOf(csv, 'a.csv');
    const [again] = await recordsOf(csv, 'b.csv');
    expect('eventIdWhenAbsent' in first && first.eventIdWhenAbsent).toMatch(/^import [0-9a-f]{20} 2$/);
    expect(again).toEqual(first);
  });
});

describe('importing a file', () => {
  it('records the good rows, sets the bad ones aside with the reason in file order, keeps ids a source derived', async () => {
    const store = SqliteEventStore.open(':memory:');
    const csv =
      'eventId;type;customerId;occurredAt;touchpoint;channel;stage;kind;score\n' +
      'import 0123456789abcdef0123 7;touchpoint.visited;c-1;20/11/2026 09:00;web:pricing;web;evaluation;;\n' +
      ';feedback.given;c-1;20/11/2026 09:05;;;;nps;11\n' +
      ';touchpoint.visited;c-1;31/11/2026;web;web;use;;\n' +
      'stage e-1;touchpoint.visited;c-1;20/11/2026 09:10;web;web;use;;\n';
    const rejected: RejectedRecord[] = [];
    const file = await openEventFile(fileInMemory(Buffer.from(csv), 'rows.csv'), reading);
    const totals = await importEvents(file, { store, personal: localPersonalData(), timeZone: reading.timeZone, onRejected: (r) => rejected.push(r) });
    expect(totals).toEqual({ records: 4, stored: 1, duplicates: 0, rejected: 3, stopped: false });
    expect(rejected.map((r) => [r.line, r.reason.split(/: | is /)[0]])).toEqual([
      [3, 'feedback-score-outside-scale'],
      [4, 'occurredAt "31/11/2026"'],
      [5, 'eventId'],
    ]);
    const [visit] = await store.readStream(customerStreamId('c-1'));
    expect(visit).toMatchObject({ eventId: 'import 0123456789abcdef0123 7', occurredAt: '2026-11-20T02:00:00.000Z' });
    await store.close();
  });
});
