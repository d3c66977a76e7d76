import * as fs from 'node:fs';
import * as path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Client } from 'pg';
import { runCli } from './support/cli';
import { createPrivatePostgres, postgresBinariesAvailable, type PrivatePostgres } from './support/postgres-private-instance';
import { http, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';

/**
 * Personal data at rest and its erasure, over real HTTP on the embedded store and on PostgreSQL:
 * names, e-mails, phones and free text never reach a database file in plain text; an erasure
 * destroys the customer's key (its bytes gone from the files), their personal fields read as
 * null everywhere (journey, events, customer list, comments, export) after a restart, a rebuild
 * and a copy, while counts and metrics stay as they were; the export holds everything else.
 */
const ERASED = 'c-erase';
const KEPT = 'c-keep';
const SECRETS = {
  name: 'Trần Thị Bích Ngọc',
  email: 'ngoc.tran.erasure@example.vn',
  phone: '+84 903 771 229',
  comment: 'Giao hàng chậm, nhân viên thô lỗ lần 7731',
  subject: 'Hoàn tiền đơn ORD-55218 gấp',
  reason: 'Chuyển sang đối thủ vì giá Q-9911',
};
const KEPT_NAME = 'Lê Văn Giữ Nguyên';

function journeyOf(customerId: string, secrets: typeof SECRETS) {
  const at = (day: number, hour = 9) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
  return [
    {
      eventId: `${customerId}-1`,
      type: 'customer.profiled',
      customerId,
      occurredAt: at(1),
      data: { name: secrets.name, email: secrets.email, phone: secrets.phone, segment: 'SME' },
    },
    {
      eventId: `${customerId}-2`,
      type: 'touchpoint.visited',
      customerId,
      occurredAt: at(2),
      data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation' },
    },
    { eventId: `${customerId}-3`, type: 'purchase.made', customerId, occurredAt: at(3), data: { orderId: 'o-1', amount: 1990000 } },
    {
      eventId: `${customerId}-4`,
      type: 'feedback.given',
      customerId,
      occurredAt: at(4),
      data: { kind: 'nps', score: 3, scale: '0-10', touchpoint: 'hotline', channel: 'phone', comment: secrets.comment },
    },
    {
      eventId: `${customerId}-5`,
      type: 'ticket.opened',
      customerId,
      occurredAt: at(5),
      data: { ticketId: 'T-1', touchpoint: 'hotline', channel: 'phone', subject: secrets.subject },
    },
    { eventId: `${customerId}-6`, type: 'customer.churned', customerId, occurredAt: at(6), data: { reason: secrets.reason } },
  ];
}

const keptSecrets = {
  ...SECRETS,
  name: KEPT_NAME,
  email: 'giu.nguyen@example.vn',
  phone: '+84 912 000 111',
  comment: 'Rất hài lòng K-1',
  subject: 'Hỏi về hóa đơn K-2',
  reason: 'Dời đi K-3',
};

/** The answers that must not change when a customer is erased: counts and metrics. */
async function figures(server: RunningServer) {
  const get = async (url: string) => (await http(server, 'GET', url)).body;
  return {
    nps: await get('/api/v1/metrics?metric=nps&by=touchpoint&from=2026-11-01&to=2026-12-01'),
    retention: await get('/api/v1/retention?from=2026-11-01&to=2026-12-01'),
    funnel: await get('/api/v1/funnel?from=2026-11-01&to=2026-12-01'),
    eventCount: (await get(`/api/v1/customers/${ERASED}/journey`)).eventCount,
    customers: (await get('/api/v1/customers?limit=1000')).items.length,
  };
}

/** Every personal field of the erased customer reads as null, in every answer that shows one; the kept customer's still read. */
async function expectErasedEverywhere(server: RunningServer): Promise<void> {
  const journey = (await http(server, 'GET', `/api/v1/customers/${ERASED}/journey`)).body;
  expect(journey.erased).toBe(true);
  expect(journey.profile).toMatchObject({ name: null, email: null, phone: null, segment: 'SME' });
  expect(journey.feedback[0]).toMatchObject({ score: 3, comment: null });
  expect(journey.tickets[0]).toMatchObject({ ticketId: 'T-1', subject: null });
  expect(journey.churn).toMatchObject({ churned: true, reason: null });

  const events = (await http(server, 'GET', `/api/v1/customers/${ERASED}/events?limit=1000`)).body.items;
  expect(events.find((e: { type: string }) => e.type === 'customer.profiled').data).toMatchObject({ name: null, email: null, phone: null });
  expect(events.some((e: { type: string }) => e.type === 'customer.erased')).toBe(true);

  const list = (await http(server, 'GET', '/api/v1/customers?limit=1000')).body.items;
  expect(list.find((c: { customerId: string }) => c.customerId === ERASED)).toMatchObject({ name: null, erased: true });
  expect(list.find((c: { customerId: string }) => c.customerId === KEPT)).toMatchObject({ name: KEPT_NAME, erased: false });

  const comments = (await http(server, 'GET', '/api/v1/touchpoints/hotline/comments?from=2026-11-01&to=2026-12-01')).body;
  const text = JSON.stringify(comments);
  expect(text).toContain(keptSecrets.comment);
  for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);

  const exported = await http(server, 'GET', `/api/v1/customers/${ERASED}/export`);
  expect(exported.status).toBe(200);
  expect(exported.body.dataKey).toMatchObject({ erasedAt: expect.any(String) });
  expect(exported.body.events.length).toBeGreaterThanOrEqual(7);
  for (const secret of Object.values(SECRETS)) expect(exported.text).not.toContain(secret);

  const kept = (await http(server, 'GET', `/api/v1/customers/${KEPT}/journey`)).body;
  expect(kept.profile).toMatchObject({ name: KEPT_NAME, email: keptSecrets.email });
  expect(kept.feedback[0].comment).toBe(keptSecrets.comment);
}

/** Which of `needles` appear, as UTF-8 bytes, in any file under `dir` (recursively). */
function foundIn(dir: string, needles: Record<string, Buffer>): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const file = path.join(at, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) {
        const bytes = fs.readFileSync(file);
        for (const [name, needle] of Object.entries(needles)) if (bytes.indexOf(needle) >= 0) found.push(`${name} in ${path.relative(dir, file)}`);
      }
    }
  };
  walk(dir);
  return found;
}

const plaintext = (): Record<string, Buffer> => Object.fromEntries(Object.entries(SECRETS).map(([field, value]) => [field, Buffer.from(value, 'utf8')]));

async function postJourneys(server: RunningServer): Promise<void> {
  const batch = await http(server, 'POST', '/api/v1/events/batch', { events: [...journeyOf(ERASED, SECRETS), ...journeyOf(KEPT, keptSecrets)] });
  expect(batch.status).toBe(200);
  await settled(server);
}

async function erase(server: RunningServer): Promise<void> {
  const answer = await http(server, 'DELETE', `/api/v1/customers/${ERASED}`);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ customerId: ERASED, erasedNow: true, keyDestroyed: true, filesScrubbed: true });
  const again = await http(server, 'DELETE', `/api/v1/customers/${ERASED}`);
  expect(again.body).toMatchObject({ erasedNow: false, keyDestroyed: false, erasedAt: answer.body.erasedAt });
  expect((await http(server, 'DELETE', '/api/v1/customers/nobody-here')).status).toBe(404);
  await settled(server);
}

describe('personal data at rest and erasure on the embedded store (e2e)', () => {
  let server: RunningServer;
  afterEach(async () => server?.stop());

  it('seals personal fields, erases a customer for good (restart, rebuild, copy), keeps counts and metrics, and the files hold neither the text nor the key', async () => {
    const dataDir = tempDataDir('journeyline-erasure-');
    server = await startServer({}, dataDir);
    await postJourneys(server);

    const journey = (await http(server, 'GET', `/api/v1/customers/${ERASED}/journey`)).body;
    expect(journey.profile).toMatchObject({ name: SECRETS.name, email: SECRETS.email, phone: SECRETS.phone });
    expect(journey.feedback[0].comment).toBe(SECRETS.comment);
    expect(foundIn(dataDir, plaintext())).toEqual([]);

    const db = new BetterSqlite3(path.join(dataDir, 'journeyline.db'), { readonly: true });
    const key = db.prepare<[string], { material: Buffer }>('SELECT material FROM customer_keys WHERE customer_id = ?').get(ERASED)!.material;
    db.close();
    expect(key).toHaveLength(32);
    expect(foundIn(dataDir, { key })).not.toEqual([]);

    const before = await figures(server);
    await erase(server);
    await expectErasedEverywhere(server);
    expect(await figures(server)).toEqual(before);

    // personal data sent for an erased customer is dropped, the rest recorded
    const late = {
      eventId: 'late-1',
      type: 'customer.profiled',
      customerId: ERASED,
      occurredAt: '2026-11-07T09:00:00+07:00',
      data: { name: 'Tên mới', region: 'Huế' },
    };
    expect((await http(server, 'POST', '/api/v1/events', late)).status).toBe(200);
    await settled(server);
    expect((await http(server, 'GET', `/api/v1/customers/${ERASED}/journey`)).body.profile).toMatchObject({ name: null, region: 'Huế' });
    const withLate = await figures(server);
    expect(withLate.eventCount).toBe(before.eventCount + 1);

    const audit = (await http(server, 'GET', '/api/v1/audit?limit=100')).body.items.map((e: { action: string; subject: string }) => `${e.action} ${e.subject}`);
    expect(audit).toEqual(expect.arrayContaining([`customer.erased ${ERASED}`, `customer.exported ${ERASED}`]));
    expect(foundIn(dataDir, { ...plaintext(), key, newName: Buffer.from('Tên mới') })).toEqual([]);

    await server.stop();
    server = await startServer({}, dataDir);
    await settled(server);
    await expectErasedEverywhere(server);
    await server.stop();

    expect(await runCli(dataDir, 'rebuild')).toMatch(/rebuilt: \d+ events/);
    server = await startServer({}, dataDir);
    await settled(server);
    await expectErasedEverywhere(server);
    expect(await figures(server)).toEqual(withLate);
    expect(foundIn(dataDir, { ...plaintext(), key })).toEqual([]);
    expect((await http(server, 'GET', '/api/v1/audit?limit=100')).body.items.some((e: { action: string }) => e.action === 'projections.rebuilt')).toBe(true);
    await server.stop();

    const copyDir = tempDataDir('journeyline-erasure-copy-');
    const copied = await runCli(
      dataDir,
      'copy',
      '--from',
      `sqlite:${path.join(dataDir, 'journeyline.db')}`,
      '--to',
      `sqlite:${path.join(copyDir, 'journeyline.db')}`,
    );
    expect(copied).toMatch(/copied 2 customers' data keys/);
    server = await startServer({}, copyDir);
    await settled(server);
    await expectErasedEverywhere(server);
    expect(foundIn(copyDir, { ...plaintext(), key })).toEqual([]);
  }, 120_000);
});

const withPostgres = postgresBinariesAvailable() || Boolean(process.env.CI);
(withPostgres ? describe : describe.skip)(
  withPostgres
    ? 'personal data at rest and erasure on PostgreSQL (e2e)'
    : 'personal data at rest and erasure on PostgreSQL (e2e) — skipped: no PostgreSQL binaries to run a private instance',
  () => {
    let postgres: PrivatePostgres;
    let server: RunningServer;
    beforeAll(async () => {
      postgres = await createPrivatePostgres();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
      postgres?.remove();
    });

    it('no table and no data file holds the personal text; after erasure and a rebuild no data file holds the key', async () => {
      const pg = postgres;
      const env = { JOURNEYLINE_STORE: 'postgres', JOURNEYLINE_STORE_URL: pg.url };
      server = await startServer(env);
      await postJourneys(server);
      const sql = new Client({ connectionString: pg.url });
      await sql.connect();
      try {
        const key = (await sql.query<{ material: Buffer }>('SELECT material FROM journeyline.customer_keys WHERE customer_id = $1', [ERASED])).rows[0].material;
        const before = await figures(server);
        await erase(server);
        await expectErasedEverywhere(server);
        expect(await figures(server)).toEqual(before);

        await server.stop();
        const saved = { ...process.env };
        Object.assign(process.env, env);
        try {
          expect(await runCli(server.dataDir, 'rebuild')).toMatch(/rebuilt: \d+ events/);
        } finally {
          process.env = saved;
        }
        server = await startServer(env);
        await settled(server);
        await expectErasedEverywhere(server);
        expect(await figures(server)).toEqual(before);

        // every row of every table, as text
        const tables = await sql.query<{ s: string; t: string }>(
          `SELECT table_schema AS s, table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
        );
        expect(tables.rows.length).toBeGreaterThan(5);
        for (const { s, t } of tables.rows) {
          const rows = await sql.query(`SELECT t::text AS row FROM "${s}"."${t}" t`);
          const text = rows.rows.map((r) => r.row).join('\n');
          for (const secret of Object.values(SECRETS)) expect([`${s}.${t}`, text.includes(secret)]).toEqual([`${s}.${t}`, false]);
          expect([`${s}.${t}`, text.includes(`\\x${key.toString('hex')}`)]).toEqual([`${s}.${t}`, false]);
        }
        // the raw files: the text never reached the server; the key's row versions are gone from the data files (VACUUM FULL)
        await sql.query('CHECKPOINT');
        expect(foundIn(pg.dataDir, plaintext())).toEqual([]);
        expect(foundIn(path.join(pg.dataDir, 'base'), { key })).toEqual([]);
      } finally {
        await sql.end();
      }
    }, 120_000);
  },
);
