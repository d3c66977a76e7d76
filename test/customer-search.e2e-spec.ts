import BetterSqlite3 from 'better-sqlite3';
import * as path from 'node:path';
import { runCli } from './support/cli';
import { bearer, http, postAll, settled, startServer, tempDataDir, waitFor, type RunningServer } from './support/running-server';

/**
 * Customer work over real HTTP on the embedded store: the search by id, name, e-mail or phone
 * (prefix, accents and case ignored) through a blind index that holds no plain text, erasure and
 * rebuild of that index, the detractor and open-ticket filters, and the churn-risk list with
 * names, evidence, priority (value × severity, worked by hand) and its CSV.
 */
const DAY = 24 * 3600 * 1000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();

const profiles = [
  { customerId: 'kh-1001', name: 'Nguyễn Văn A', email: 'van.a@example.vn', phone: '+84 912 345 678' },
  { customerId: 'kh-1002', name: 'Trần Thị Nguyên', email: 'nguyen.tran@example.vn', phone: '0987 654 321' },
  { customerId: 'kh-2001', name: 'Đặng Minh Châu', email: 'chau.dang@example.vn', phone: '0903 111 222' },
  { customerId: 'kh-2002', name: 'Lê Bình', email: 'binh.le@example.vn', phone: '0903 999 888' },
  { customerId: 'vip-7', name: "=cmd|' /C calc'!A0", email: 'x@example.vn', phone: '0911 000 000' },
];

function events() {
  const list: object[] = profiles.map((p) => ({
    eventId: `${p.customerId}-profile`,
    type: 'customer.profiled',
    customerId: p.customerId,
    occurredAt: ago(120),
    data: { name: p.name, email: p.email, phone: p.phone, segment: 'SME' },
  }));
  const add = (customerId: string, type: string, days: number, data: object) =>
    list.push({ eventId: `${customerId}-${type}-${days}`, type, customerId, occurredAt: ago(days), data });
  // kh-1001: bought 2,000,000 VND, then a detractor (NPS 3) and nothing for 50 days: detractor-without-use (3), inactive-after-purchase (1)
  add('kh-1001', 'purchase.made', 60, { orderId: 'o-1', amount: 2_000_000 });
  add('kh-1001', 'feedback.given', 50, { kind: 'nps', score: 3, scale: '0-10', touchpoint: 'hotline', channel: 'phone', stage: 'use' });
  // kh-1002: 9,000,000 VND 400 days ago (outside the year), 5,000,000 100 days ago, then silence: inactive-after-purchase (1)
  add('kh-1002', 'purchase.made', 400, { orderId: 'o-2', amount: 9_000_000 });
  add('kh-1002', 'purchase.made', 100, { orderId: 'o-3', amount: 5_000_000 });
  add('kh-1002', 'feedback.given', 99, { kind: 'nps', score: 10, scale: '0-10', touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation' });
  // kh-2001: 1,000,000 VND, a ticket open 5 days: ticket-open-too-long (3)
  add('kh-2001', 'purchase.made', 20, { orderId: 'o-4', amount: 1_000_000 });
  add('kh-2001', 'ticket.opened', 5, { ticketId: 'T-1', touchpoint: 'hotline', channel: 'phone' });
  // vip-7: a ticket open 4 days and nothing bought: priority 0
  add('vip-7', 'ticket.opened', 4, { ticketId: 'T-2', touchpoint: 'zalo-oa', channel: 'chat' });
  return list;
}

const ids = async (server: RunningServer, query: string) =>
  ((await http(server, 'GET', `/api/v1/customers?${query}`)).body.items as { customerId: string }[]).map((c) => c.customerId).sort();

async function searchAnswers(server: RunningServer) {
  const answers: Record<string, string[]> = {};
  for (const q of ['nguyen', 'NGUYỄN', 'dang', 'đặng', 'nguyen van', 'van.a@', 'nguyen.tr', '0912 345', '+84912345', '912345', 'kh-2', 'le b', 'chau'])
    answers[q] = await ids(server, `q=${encodeURIComponent(q)}`);
  return answers;
}

describe('customer search and churn-risk priorities', () => {
  jest.setTimeout(60_000);
  let server: RunningServer;
  const dataDir = tempDataDir();
  afterAll(async () => server?.stop());

  it('finds customers by id, name, e-mail or phone prefix, accents and case ignored', async () => {
    server = await startServer({ JOURNEYLINE_CHURN_CHECK_INTERVAL_MS: '200' }, dataDir);
    await postAll(server, events());
    await settled(server);
    const answers = await searchAnswers(server);
    expect(answers).toEqual({
      nguyen: ['kh-1001', 'kh-1002'],
      NGUYỄN: ['kh-1001', 'kh-1002'],
      dang: ['kh-2001'],
      đặng: ['kh-2001'],
      'nguyen van': ['kh-1001'],
      'van.a@': ['kh-1001'],
      'nguyen.tr': ['kh-1002'],
      '0912 345': ['kh-1001'],
      '+84912345': ['kh-1001'],
      '912345': [],
      'kh-2': ['kh-2001', 'kh-2002'],
      'le b': ['kh-2002'],
      chau: ['kh-2001'],
    });
    // the search combines with the other filters; names come back opened
    expect(await ids(server, 'q=nguyen&detractor=true')).toEqual(['kh-1001']);
    const found = (await http(server, 'GET', '/api/v1/customers?q=dang')).body.items[0];
    expect(found.name).toBe('Đặng Minh Châu');
    expect((await http(server, 'GET', '/api/v1/customers?q=')).status).toBe(400);
  });

  it('filters detractors and open tickets', async () => {
    expect(await ids(server, 'detractor=true')).toEqual(['kh-1001']);
    expect(await ids(server, 'openTickets=true')).toEqual(['kh-2001', 'vip-7']);
    expect(await ids(server, 'openTickets=false&detractor=false')).toEqual(['kh-1002', 'kh-2002']);
    expect((await http(server, 'GET', '/api/v1/customers?detractor=maybe')).body.errors[0].field).toBe('detractor');
  });

  it('lists churn risks with names, evidence and priority = value in VND over a year × severity, and exports them as CSV', async () => {
    await waitFor(async () => (await http(server, 'GET', '/api/v1/churn-risks')).body.items.length === 4, 20_000);
    const answer = (await http(server, 'GET', '/api/v1/churn-risks?sort=-priority&lang=en')).body;
    expect(answer.items.map((i: { customerId: string; priority: number }) => [i.customerId, i.priority])).toEqual([
      ['kh-1001', 2_000_000 * 3],
      ['kh-1002', 5_000_000 * 1],
      ['kh-2001', 1_000_000 * 3],
      ['vip-7', 0],
    ]);
    const first = answer.items[0];
    expect(first.name).toBe('Nguyễn Văn A');
    const detractor = first.flags.find((f: { rule: string }) => f.rule === 'detractor-without-use');
    expect(detractor.label).toMatch(/NPS detractor/);
    expect(detractor.evidenceEvents).toEqual([
      expect.objectContaining({ eventId: 'kh-1001-feedback.given-50', text: `NPS 3 at hotline on ${ago(50).slice(0, 10)}` }),
    ]);
    expect(answer.rules.find((r: { id: string }) => r.id === 'ticket-open-too-long').severity).toBe(3);

    // paged in ascending priority, the pages join up
    const page1 = (await http(server, 'GET', '/api/v1/churn-risks?sort=priority&limit=3')).body;
    const page2 = (await http(server, 'GET', `/api/v1/churn-risks?sort=priority&limit=3&cursor=${page1.nextCursor}`)).body;
    expect([...page1.items, ...page2.items].map((i: { customerId: string }) => i.customerId)).toEqual(['vip-7', 'kh-2001', 'kh-1002', 'kh-1001']);
    expect((await http(server, 'GET', '/api/v1/churn-risks?sort=value')).status).toBe(400);

    const csv = await http(server, 'GET', '/api/v1/churn-risks?format=csv&sort=-priority&lang=vi');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    // fetch's text() drops a byte-order mark: look at the bytes
    const bytes = Buffer.from(await (await fetch(`${server.url}/api/v1/churn-risks?format=csv&sort=-priority&lang=vi`, { headers: bearer() })).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.text.startsWith('customerId,name,priority,value,severity')).toBe(true);
    const lines = csv.text.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^kh-1001,Nguyễn Văn A,6000000,2000000,3,/);
    expect(lines[1]).toContain(`NPS 3 tại hotline ngày ${ago(50).slice(0, 10)}`);
    // a name that is a formula is written inert
    expect(lines[4]).toMatch(/^vip-7,'=cmd\|' \/C calc'!A0,0,0,3,ticket-open-too-long,/);
  });

  it('keeps no plain text in the index, forgets an erased customer, and a rebuild answers the same', async () => {
    const before = await searchAnswers(server);
    await server.stop();
    const db = new BetterSqlite3(path.join(dataDir, 'read-models.db'), { readonly: true });
    const tokens = db.prepare('SELECT token, customer_id, field FROM customer_search').all() as { token: string; customer_id: string }[];
    db.close();
    expect(tokens.length).toBeGreaterThan(50);
    const text = JSON.stringify(tokens).toLowerCase();
    for (const word of ['nguyen', 'nguyễn', 'dang', 'example', '0912']) expect(text).not.toContain(word);

    expect(await runCli(dataDir, 'rebuild')).toMatch(/rebuilt: \d+ events/);
    server = await startServer({}, dataDir);
    await settled(server);
    expect(await searchAnswers(server)).toEqual(before);

    expect((await http(server, 'DELETE', '/api/v1/customers/kh-1001')).status).toBeLessThan(300);
    await settled(server);
    expect(await ids(server, 'q=nguyen')).toEqual(['kh-1002']);
    expect(await ids(server, 'q=0912')).toEqual([]);
    expect(await ids(server, 'q=kh-1001')).toEqual(['kh-1001']); // ids are not personal data
    await server.stop();
    const after = new BetterSqlite3(path.join(dataDir, 'read-models.db'), { readonly: true });
    expect(after.prepare("SELECT COUNT(*) AS n FROM customer_search WHERE customer_id = 'kh-1001'").get()).toEqual({ n: 0 });
    after.close();
    expect(await runCli(dataDir, 'rebuild')).toMatch(/rebuilt/);
    server = await startServer({}, dataDir);
    await settled(server);
    expect(await ids(server, 'q=nguyen')).toEqual(['kh-1002']);
  });
});
