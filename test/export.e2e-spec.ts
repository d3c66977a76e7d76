import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { exportTo } from '../apps/cli/src/commands/export.command';
import { runCli } from './support/cli';
import { bearer, http, postAll, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';

/**
 * Getting data out, from the CLI and over HTTP: the recorded events as NDJSON that an empty store
 * imports into the same journeys, metrics and funnel; the customer list as a CSV Excel opens
 * (byte-order mark, Vietnamese text, personal data opened, nothing of an erased customer,
 * formulas made inert); filters by customer, type and time (a bare date in JOURNEYLINE_TZ);
 * refused parameters named; every export audited; an interrupted export leaves no file behind.
 */
const ROOT = path.resolve(__dirname, '..');
const DAY = 86_400_000;
const BASE = Date.now() - 20 * DAY;
const at = (day: number, hour = 9) => new Date(BASE + day * DAY + hour * 3_600_000).toISOString();
/** A local date (Asia/Ho_Chi_Minh, UTC+7 all year) a few days back, and the instants just before and after its midnight there. */
const LOCAL_DAY = new Date(Date.now() - 3 * DAY + 7 * 3_600_000).toISOString().slice(0, 10);
const LOCAL_MIDNIGHT = Date.parse(`${LOCAL_DAY}T00:00:00+07:00`);
const FROM = new Date(BASE - DAY).toISOString();
const TO = new Date(Date.now() + DAY).toISOString();
const ASOF = TO;

const visit = (eventId: string, customerId: string, stage: string, touchpoint: string, channel: string, occurredAt: string) => ({
  eventId,
  type: 'touchpoint.visited',
  customerId,
  occurredAt,
  data: { touchpoint, channel, stage },
});
const feedback = (eventId: string, customerId: string, occurredAt: string, data: Record<string, unknown>) => ({
  eventId,
  type: 'feedback.given',
  customerId,
  occurredAt,
  data,
});

/** Four customers at different stages, feedback of every kind and scale, tickets, purchases, portraits, a churn and a merge. */
const FACTS = [
  {
    eventId: 'p-1',
    type: 'customer.profiled',
    customerId: 'c-ngoc',
    occurredAt: at(0),
    data: { name: 'Trần Thị Ngọc Ánh', email: 'ngoc.anh@example.vn', segment: 'SME', region: 'Hồ Chí Minh', gender: 'female' },
  },
  visit('v-1', 'c-ngoc', 'awareness', 'social:facebook-post', 'social', at(0, 10)),
  visit('v-2', 'c-ngoc', 'evaluation', 'web:pricing', 'web', at(1)),
  visit('v-3', 'c-ngoc', 'choice', 'web:gio-hang', 'web', at(2)),
  { eventId: 'b-1', type: 'purchase.made', customerId: 'c-ngoc', occurredAt: at(3), data: { orderId: 'dh-1', amount: 1_990_000, currency: 'VND' } },
  visit('v-4', 'c-ngoc', 'use', 'mobile:app-home', 'mobile', at(4)),
  feedback('f-1', 'c-ngoc', at(4, 11), {
    kind: 'nps',
    score: 9,
    scale: '0-10',
    touchpoint: 'hotline',
    channel: 'phone',
    stage: 'use',
    comment: 'Nhân viên hỗ trợ nhanh',
  }),
  feedback('f-2', 'c-ngoc', at(5), { kind: 'csat', score: 4, scale: '1-5', touchpoint: 'zalo-oa', channel: 'chat', stage: 'use' }),
  feedback('f-3', 'c-ngoc', at(5, 12), { kind: 'ces', score: 6, scale: '1-7', touchpoint: 'zalo-oa', channel: 'chat', stage: 'use' }),
  {
    eventId: 't-1',
    type: 'ticket.opened',
    customerId: 'c-ngoc',
    occurredAt: at(6),
    data: { ticketId: 'tk-1', touchpoint: 'hotline', channel: 'phone', subject: 'Không đăng nhập được' },
  },
  { eventId: 't-2', type: 'ticket.resolved', customerId: 'c-ngoc', occurredAt: at(6, 15), data: { ticketId: 'tk-1' } },
  visit('v-5', 'c-ngoc', 'advocacy', 'email:gioi-thieu', 'email', at(8)),

  {
    eventId: 'p-2',
    type: 'customer.profiled',
    customerId: 'c-minh',
    occurredAt: at(1),
    data: { name: 'Lê Văn Minh', email: 'minh.le@example.vn', region: 'Hà Nội' },
  },
  visit('v-6', 'c-minh', 'awareness', 'web:ads-tet', 'web', at(1, 10)),
  visit('v-7', 'c-minh', 'evaluation', 'web:so-sanh', 'web', at(2)),
  feedback('f-4', 'c-minh', at(2, 11), {
    kind: 'nps',
    score: 3,
    scale: '0-10',
    touchpoint: 'web:so-sanh',
    channel: 'web',
    stage: 'evaluation',
    comment: 'Giá hơi cao; khó so sánh',
  }),
  feedback('f-5', 'c-minh', at(3), { kind: 'csat', score: false, scale: 'yes-no', touchpoint: 'hotline', channel: 'phone' }),
  { eventId: 't-3', type: 'ticket.opened', customerId: 'c-minh', occurredAt: at(3, 10), data: { ticketId: 'tk-2', touchpoint: 'hotline', channel: 'phone' } },
  { eventId: 'x-1', type: 'customer.churned', customerId: 'c-minh', occurredAt: at(9), data: { reason: 'chuyển sang đối thủ' } },

  visit('v-8', 'anon-77', 'awareness', 'web:ads-tet', 'web', at(2)),
  visit('v-9', 'anon-77', 'evaluation', 'web:pricing', 'web', at(3)),
  {
    eventId: 'p-3',
    type: 'customer.profiled',
    customerId: 'c-hoa',
    occurredAt: at(4),
    data: { name: '=HYPERLINK("http://evil.example","Nhấn vào đây")', phone: '+84 90 123 4567', segment: '@SUM(A1)', region: '-Đà Nẵng' },
  },
  visit('v-10', 'c-hoa', 'choice', 'store:hcm-q1', 'store', at(4, 10)),
  { eventId: 'b-2', type: 'purchase.made', customerId: 'c-hoa', occurredAt: at(5), data: { orderId: 'dh-2', amount: 250_000.5, currency: 'VND' } },
  feedback('f-6', 'c-hoa', at(5, 11), { kind: 'ces', score: 2, scale: '1-5', touchpoint: 'store:hcm-q1', channel: 'store', stage: 'purchase' }),
  feedback('f-7', 'c-hoa', at(6), { kind: 'csat', score: 9, scale: '1-10', touchpoint: 'store:hcm-q1', channel: 'store' }),
  { eventId: 'm-1', type: 'customer.merged', customerId: 'c-hoa', occurredAt: at(7), data: { from: 'anon-77' } },

  { eventId: 'p-4', type: 'customer.profiled', customerId: 'c-xoa', occurredAt: at(1), data: { name: 'Phạm Thu Hà', email: 'thu.ha@example.vn' } },
  visit('v-11', 'c-xoa', 'awareness', 'zalo-oa', 'chat', at(1, 10)),
  feedback('f-8', 'c-xoa', at(2), { kind: 'nps', score: 10, scale: '0-10', touchpoint: 'zalo-oa', channel: 'chat' }),

  // either side of the local midnight of LOCAL_DAY: a bare `from=LOCAL_DAY` keeps the second only
  visit('d-1', 'c-dem', 'awareness', 'web:dem-truoc', 'web', new Date(LOCAL_MIDNIGHT - 30 * 60_000).toISOString()),
  visit('d-2', 'c-dem', 'evaluation', 'web:dem-sau', 'web', new Date(LOCAL_MIDNIGHT + 30 * 60_000).toISOString()),
];
const IDS = ['c-ngoc', 'c-minh', 'anon-77', 'c-hoa', 'c-xoa', 'c-dem'];

type Line = { eventId: string; type: string; customerId: string; occurredAt: string; data: Record<string, unknown> };
const ndjson = (text: string): Line[] =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Line);

/** What a person looks at, asked the same way of two stores. */
async function answers(server: RunningServer) {
  await settled(server);
  const journeys: Record<string, unknown> = {};
  for (const id of IDS) journeys[id] = (await http(server, 'GET', `/api/v1/customers/${id}/journey?asOf=${ASOF}`)).body;
  const window = `from=${FROM}&to=${TO}`;
  const metrics: Record<string, unknown> = {};
  for (const metric of ['nps', 'csat', 'ces', 'ttr'])
    for (const by of ['touchpoint', 'channel', 'stage'])
      metrics[`${metric}/${by}`] = (await http(server, 'GET', `/api/v1/metrics?metric=${metric}&by=${by}&${window}`)).body;
  return {
    journeys,
    metrics,
    funnel: (await http(server, 'GET', `/api/v1/funnel?${window}`)).body,
    customers: (await http(server, 'GET', '/api/v1/customers?limit=1000&sort=customerId')).body,
  };
}

async function download(server: RunningServer, query: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/api/v1/export${query}`, { headers: { ...bearer(), ...headers } });
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    disposition: response.headers.get('content-disposition'),
    bytes,
    text: bytes.toString('utf8'),
  };
}

/** Imports `text` into an empty data directory with `journeyline import` and starts a server on it. */
async function importedInto(text: string, name: string): Promise<RunningServer> {
  const dir = tempDataDir(`journeyline-export-${name}-`);
  const file = path.join(dir, 'events.ndjson');
  fs.writeFileSync(file, text);
  expect(await runCli(dir, 'import', file)).toMatch(new RegExp(`^imported ${FACTS.length} rows: ${FACTS.length} new, 0 already stored, 0 rejected$`));
  return startServer({}, dir);
}

function customerRows(text: string): Record<string, string>[] {
  expect(text.startsWith('\ufeff')).toBe(true);
  return parse(text, { bom: true, columns: true }) as Record<string, string>[];
}

describe('export (e2e)', () => {
  let source: RunningServer;
  let expected: Awaited<ReturnType<typeof answers>>;
  const work = tempDataDir('journeyline-export-files-');

  beforeAll(async () => {
    source = await startServer();
    await postAll(source, FACTS);
    expected = await answers(source);
  });
  afterAll(async () => {
    await source?.stop();
  });

  describe('round trip: export the events, import them into an empty store', () => {
    it('journeyline export --kind events --format ndjson --out FILE, then journeyline import FILE: the same journeys, metrics, funnel and customers', async () => {
      const file = path.join(work, 'events.ndjson');
      const out = await runCli(source.dataDir, 'export', '--kind', 'events', '--format', 'ndjson', '--out', file);
      expect(out).toBe(`exported ${FACTS.length} events to ${file}`);
      expect(fs.existsSync(`${file}.partial`)).toBe(false);
      const lines = ndjson(fs.readFileSync(file, 'utf8'));
      expect(lines.map((line) => line.eventId).sort()).toEqual(FACTS.map((fact) => fact.eventId).sort());
      expect(lines.find((line) => line.eventId === 'm-1')).toMatchObject({ type: 'customer.merged', customerId: 'c-hoa', data: { from: 'anon-77' } });
      expect(lines.find((line) => line.eventId === 'p-1')!.data).toMatchObject({ name: 'Trần Thị Ngọc Ánh', email: 'ngoc.anh@example.vn' });
      const imported = await importedInto(fs.readFileSync(file, 'utf8'), 'cli');
      try {
        const answered = await answers(imported);
        expect(answered).toEqual(expected);
      } finally {
        await imported.stop();
      }
      // sanity: the answers compared say something
      expect((expected.journeys['anon-77'] as { mergedInto: string }).mergedInto).toBe('c-hoa');
      expect((expected.metrics['nps/touchpoint'] as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
      expect(JSON.stringify(expected.funnel)).toMatch(/"customers":[1-9]/);
    }, 60_000);

    it('GET /api/v1/export?kind=events: the same NDJSON as an attachment, and the same answers after an import', async () => {
      const answer = await download(source, '?kind=events');
      expect(answer.status).toBe(200);
      expect(answer.type).toMatch(/^application\/x-ndjson; charset=utf-8/);
      expect(answer.disposition).toMatch(/^attachment; filename="journeyline-events-\d{4}-\d{2}-\d{2}\.ndjson"$/);
      expect(ndjson(answer.text)).toEqual(ndjson(fs.readFileSync(path.join(work, 'events.ndjson'), 'utf8')));
      const imported = await importedInto(answer.text, 'http');
      try {
        expect(await answers(imported)).toEqual(expected);
      } finally {
        await imported.stop();
      }
    }, 60_000);
  });

  describe('filters', () => {
    it('by customer, by type, and by time with a bare date read in JOURNEYLINE_TZ', async () => {
      const one = ndjson((await download(source, '?kind=events&customerId=c-ngoc')).text);
      expect(one.map((line) => line.eventId)).toEqual(FACTS.filter((fact) => fact.customerId === 'c-ngoc').map((fact) => fact.eventId));
      const feedbackOnly = ndjson((await download(source, '?kind=events&type=feedback.given,ticket.resolved')).text);
      expect(feedbackOnly.map((line) => line.eventId).sort()).toEqual(['f-1', 'f-2', 'f-3', 'f-4', 'f-5', 'f-6', 'f-7', 'f-8', 't-2']);
      const fromLocalDay = ndjson((await download(source, `?kind=events&from=${LOCAL_DAY}`)).text);
      expect(fromLocalDay.map((line) => line.eventId)).toEqual(['d-2']);
      const beforeLocalDay = ndjson((await download(source, `?kind=events&customerId=c-dem&to=${LOCAL_DAY}`)).text);
      expect(beforeLocalDay.map((line) => line.eventId)).toEqual(['d-1']);
      const window = ndjson((await download(source, `?kind=events&from=${encodeURIComponent(at(4))}&to=${encodeURIComponent(at(5))}`)).text);
      expect(window.map((line) => line.eventId).sort()).toEqual(['f-1', 'p-3', 'v-10', 'v-4']);

      const file = path.join(work, 'dem.ndjson');
      expect(await runCli(source.dataDir, 'export', '--kind', 'events', '--from', LOCAL_DAY, '--type', 'touchpoint.visited', '--out', file)).toBe(
        `exported 1 events to ${file}`,
      );
      expect(ndjson(fs.readFileSync(file, 'utf8')).map((line) => line.eventId)).toEqual(['d-2']);
      const customers = customerRows((await download(source, `?kind=customers&from=${LOCAL_DAY}`)).text);
      expect(customers.map((row) => row.customerId)).toEqual(['c-dem']);
    });

    it('refuses bad parameters with 400 naming the field; the CLI names the option', async () => {
      const refused = async (query: string, field: string, reason: RegExp) => {
        const answer = await download(source, query);
        expect([answer.status, answer.type]).toEqual([400, expect.stringMatching(/^application\/json/)]);
        const body = JSON.parse(answer.text);
        expect(body.errors[0].field).toBe(field);
        expect(body.errors[0].reason).toMatch(reason);
      };
      await refused('', 'kind', /kind must be one of events, customers/);
      await refused('?kind=orders', 'kind', /kind must be one of events, customers/);
      await refused('?kind=events&format=xlsx', 'format', /format must be one of ndjson, csv/);
      await refused('?kind=events&type=touchpoint.clicked', 'type', /touchpoint\.clicked/);
      await refused('?kind=events&from=20%2F11%2F2026', 'from', /from must be an ISO 8601 date or timestamp/);
      await refused('?kind=events&to=tomorrow', 'to', /to must be an ISO 8601/);
      await refused(`?kind=events&from=${LOCAL_DAY}&to=${LOCAL_DAY}`, 'to', /to must come after from/);
      await refused('?kind=customers&type=feedback.given', 'type', /leave it out with kind=customers/);
      await refused('?kind=events&colour=red', 'colour', /colour/);
      await expect(runCli(source.dataDir, 'export', '--kind', 'events', '--from', 'hôm qua')).rejects.toThrow(/^--from: from must be an ISO 8601/);
      await expect(runCli(source.dataDir, 'export', '--kind', 'orders')).rejects.toThrow(/^--kind must be events or customers/);
    });

    it('needs a key: 401 without one; a read key exports (403 for an ingest key)', async () => {
      const none = await fetch(`${source.url}/api/v1/export?kind=events`);
      expect(none.status).toBe(401);
      expect(((await none.json()) as { errors: { field: string }[] }).errors[0].field).toBe('authorization');
      const read = (await http(source, 'POST', '/api/v1/keys', { name: 'campaign tool', scopes: ['read'] })).body.key;
      const allowed = await download(source, '?kind=customers', bearer(read));
      expect(allowed.status).toBe(200);
      const ingest = (await http(source, 'POST', '/api/v1/keys', { name: 'tags', scopes: ['ingest'] })).body.key;
      expect((await download(source, '?kind=events', bearer(ingest))).status).toBe(403);
    });
  });

  describe('the customer list as CSV', () => {
    it('over HTTP and from the CLI: BOM, header, portrait, stage, churn, latest scores, names opened, formulas inert, Vietnamese intact; nothing of an erased customer', async () => {
      expect((await http(source, 'DELETE', '/api/v1/customers/c-xoa')).status).toBe(200);
      await settled(source);
      const answer = await download(source, '?kind=customers&format=csv');
      expect([answer.status, answer.type]).toEqual([200, expect.stringMatching(/^text\/csv; charset=utf-8/)]);
      expect(answer.disposition).toMatch(/^attachment; filename="journeyline-customers-\d{4}-\d{2}-\d{2}\.csv"$/);
      expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(answer.text.split('\r\n')[0]).toBe(
        '\ufeffcustomerId,name,email,phone,segment,region,ageBand,gender,acquisitionChannel,currentStage,currentStageSince,firstSeenAt,lastSeenAt,' +
          'churned,churnRisk,churnRiskRules,lastNps,lastCsat,lastCsatScale,lastCes,lastCesScale,erased',
      );
      const rows = customerRows(answer.text);
      const row = (id: string) => rows.find((r) => r.customerId === id)!;
      expect(rows.map((r) => r.customerId)).toEqual(['c-dem', 'c-hoa', 'c-minh', 'c-ngoc', 'c-xoa']);
      expect(row('c-ngoc')).toMatchObject({
        name: 'Trần Thị Ngọc Ánh',
        email: 'ngoc.anh@example.vn',
        segment: 'SME',
        region: 'Hồ Chí Minh',
        gender: 'female',
        currentStage: 'advocacy',
        churned: 'false',
        lastNps: '9',
        lastCsat: '4',
        lastCsatScale: '1-5',
        lastCes: '6',
        lastCesScale: '1-7',
        erased: 'false',
      });
      expect(row('c-minh')).toMatchObject({
        name: 'Lê Văn Minh',
        region: 'Hà Nội',
        currentStage: 'evaluation',
        churned: 'true',
        lastNps: '3',
        lastCsat: 'false',
        lastCsatScale: 'yes-no',
      });
      // every cell a spreadsheet would run as a formula starts with a quote instead
      expect(row('c-hoa')).toMatchObject({
        name: `'=HYPERLINK("http://evil.example","Nhấn vào đây")`,
        phone: `'+84 90 123 4567`,
        segment: `'@SUM(A1)`,
        region: `'-Đà Nẵng`,
        currentStage: 'purchase',
        lastCes: '2',
        lastCesScale: '1-5',
        lastCsat: '9',
        lastCsatScale: '1-10',
      });
      expect(row('c-xoa')).toMatchObject({ name: '', email: '', erased: 'true' });
      expect(answer.text).not.toMatch(/Phạm Thu Hà|thu\.ha@example/);
      for (const cell of rows.flatMap((r) => Object.values(r))) expect(cell).not.toMatch(/^[=+\-@]/);
      const events = parse((await download(source, '?kind=events&format=csv&customerId=c-hoa&type=customer.profiled')).text, { bom: true, columns: true });
      expect(events).toEqual([expect.objectContaining({ eventId: 'p-3', name: `'=HYPERLINK("http://evil.example","Nhấn vào đây")`, region: `'-Đà Nẵng` })]);

      const file = path.join(work, 'khach-hang.csv');
      expect(await runCli(source.dataDir, 'export', '--kind', 'customers', '--out', file)).toBe(`exported 5 customers to ${file}`);
      expect(fs.readFileSync(file, 'utf8')).toBe(answer.text);
      // the events export leaves out what the erasure made unreadable, and still imports
      const erased = ndjson((await download(source, '?kind=events&customerId=c-xoa')).text);
      expect(erased.map((line) => line.eventId)).toEqual(['v-11', 'f-8']);
    });

    it('one customer, as NDJSON', async () => {
      const answer = await download(source, '?kind=customers&format=ndjson&customerId=c-ngoc');
      expect(answer.disposition).toMatch(/filename="journeyline-customers-c-ngoc-\d{4}-\d{2}-\d{2}\.ndjson"/);
      expect(ndjson(answer.text)).toEqual([expect.objectContaining({ customerId: 'c-ngoc', name: 'Trần Thị Ngọc Ánh', currentStage: 'advocacy' })]);
    });
  });

  describe('audit', () => {
    it('records every export, over HTTP and from the CLI, with who asked and what', async () => {
      const audit = (await http(source, 'GET', '/api/v1/audit?limit=1000')).body.items as {
        action: string;
        actor: { name: string };
        details: Record<string, unknown>;
      }[];
      const actions = audit.map((entry) => entry.action);
      expect(actions).toEqual(expect.arrayContaining(['events.exported', 'customers.exported']));
      expect(audit).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ action: 'events.exported', details: expect.objectContaining({ kind: 'events', customerId: 'c-ngoc' }) }),
          expect.objectContaining({
            action: 'customers.exported',
            details: expect.objectContaining({ kind: 'customers', out: path.join(work, 'khach-hang.csv') }),
          }),
        ]),
      );
    });
  });

  describe('journeyline export, interrupted', () => {
    it('stopped part way (as Ctrl-C stops it): no file at --out, no .partial left', async () => {
      const file = path.join(work, 'stopped.ndjson');
      await exportTo({ kind: 'events', out: file }, { JOURNEYLINE_DATA_DIR: source.dataDir }, () => true);
      expect(fs.existsSync(file)).toBe(false);
      expect(fs.existsSync(`${file}.partial`)).toBe(false);
    });

    it('shows its first progress line at once; SIGINT: exit 130, nothing at --out', async () => {
      const dir = tempDataDir('journeyline-export-many-');
      const many = path.join(dir, 'many.ndjson');
      const lines: string[] = [];
      for (let i = 0; i < 40_000; i++)
        lines.push(JSON.stringify(visit(`many-${i}`, `many-${i % 4000}`, 'awareness', `web:${i % 50}`, 'web', new Date(BASE + i * 1000).toISOString())));
      fs.writeFileSync(many, `${lines.join('\n')}\n`);
      expect(await runCli(dir, 'import', many)).toMatch(/^imported 40000 rows: 40000 new/);
      const out = path.join(dir, 'out.csv');
      const child = spawn(
        process.execPath,
        ['-r', '@swc-node/register', 'apps/cli/src/main.ts', 'export', '--kind', 'events', '--format', 'csv', '--out', out],
        {
          cwd: ROOT,
          env: { ...process.env, JOURNEYLINE_DATA_DIR: dir },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      const firstProgress = new Promise<string>((resolve) =>
        child.stderr.on('data', (chunk) => {
          stderr += chunk;
          if (/\n/.test(stderr)) resolve(stderr.split('\n')[0]);
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      expect(await firstProgress).toMatch(/^export events \|.*\| 0% 0 events written/);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/export interrupted after \d+ events; nothing was written to .*out\.csv: run the same command again/);
      expect(fs.existsSync(out)).toBe(false);
      expect(fs.existsSync(`${out}.partial`)).toBe(false);
    }, 60_000);
  });
});
