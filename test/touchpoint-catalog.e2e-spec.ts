import { runCli } from './support/cli';
import { bearer, http, postAll, serverForSuite, settled } from './support/running-server';

/**
 * The touchpoint catalog over real HTTP and the CLI: registered with versions and history, new
 * touchpoints seen in events, every wrong field named, admin only, and metrics by experience type
 * and by owner team worked by hand on a small data set.
 */
const DAY = 86_400_000;
const at = (daysAgo: number, hour = 0) => new Date(Date.now() - daysAgo * DAY + hour * 3_600_000).toISOString();
let id = 0;
const nps = (touchpoint: string, score: number, daysAgo = 3) => ({
  eventId: `tc-${++id}`,
  type: 'feedback.given',
  customerId: `c-${id}`,
  occurredAt: at(daysAgo, id % 12),
  data: { kind: 'nps', score, scale: '0-10', touchpoint },
});
const definition = (owner: string, experienceType: string, extra: Record<string, unknown> = {}) => ({
  names: { vi: 'Tổng đài chăm sóc', en: 'Care hotline' },
  channel: 'phone',
  stage: 'use',
  owner,
  experienceType,
  ...extra,
});

describe('touchpoint catalog (e2e)', () => {
  const running = serverForSuite();

  beforeAll(async () => {
    await postAll(running(), [
      // feel / cskh: hotline 10, 9, 2 and zalo-oa 9, 7, 0 → 3 promoters, 1 passive, 2 detractors of 6
      nps('hotline', 10),
      nps('hotline', 9),
      nps('hotline', 2),
      nps('zalo-oa', 9),
      nps('zalo-oa', 7),
      nps('zalo-oa', 0),
      // think / marketing: 10 → 100; never registered: 3 → −100
      nps('web:pricing', 10),
      nps('store:q1', 3),
      // the same six answers at one touchpoint, 60 days ago: the reference for the union's interval
      ...[10, 9, 2, 9, 7, 0].map((score) => nps('reference', score, 60)),
      { type: 'touchpoint.visited', customerId: 'c-visitor', occurredAt: at(2), data: { touchpoint: 'email:tet', channel: 'email', stage: 'awareness' } },
    ]);
    await settled(running());
  });

  it('registers a touchpoint as version 1; the same body again changes nothing; a change is version 2; the history lists both; the audit trail names each', async () => {
    const first = await http(running(), 'PUT', '/api/v1/touchpoints/hotline', definition('cskh', 'think'));
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ ...definition('cskh', 'think'), touchpoint: 'hotline', version: 1, changed: true, registeredBy: expect.any(String) });
    const again = await http(running(), 'PUT', '/api/v1/touchpoints/hotline', definition('cskh', 'think'));
    expect(again.body).toMatchObject({ version: 1, changed: false });
    const changed = await http(running(), 'PUT', '/api/v1/touchpoints/hotline', definition('cskh', 'feel'));
    expect(changed.body).toMatchObject({ version: 2, changed: true, experienceType: 'feel' });

    const history = await http(running(), 'GET', '/api/v1/touchpoints/hotline/history');
    expect(history.status).toBe(200);
    expect(history.body.items.map((v: { version: number; experienceType: string }) => [v.version, v.experienceType])).toEqual([
      [1, 'think'],
      [2, 'feel'],
    ]);
    expect(history.body.items[0].registeredAt).toEqual(expect.any(String));
    expect((await http(running(), 'GET', '/api/v1/touchpoints/nowhere/history')).status).toBe(404);

    const audit = await http(running(), 'GET', '/api/v1/audit');
    const registered = audit.body.items.filter((e: { action: string }) => e.action === 'touchpoint.registered');
    expect(registered.map((e: { subject: string; details: { version: number } }) => [e.subject, e.details.version])).toEqual([
      ['hotline', 2],
      ['hotline', 1],
    ]);
  });

  it('a wrong definition is a 400 naming every wrong field; nothing is recorded', async () => {
    const wrong = await http(running(), 'PUT', '/api/v1/touchpoints/web%3Apricing', {
      names: { vi: '' },
      stage: 'loyalty',
      experienceType: 'smell',
      colour: 'red',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(
      ['colour', 'names.vi', 'names.en', 'channel', 'stage', 'owner', 'experienceType'].sort(),
    );
    expect((await http(running(), 'PUT', '/api/v1/touchpoints/web%3Apricing', [definition('x', 'act')])).status).toBe(400);
    expect((await http(running(), 'PUT', '/api/v1/touchpoints/web%3Apricing', definition('o'.repeat(101), 'act'))).body.errors[0].field).toBe('owner');
    expect((await http(running(), 'GET', '/api/v1/touchpoints/web%3Apricing/history')).status).toBe(404);
  });

  it('only an admin registers: a read key gets 403 on PUT and reads the catalog', async () => {
    const made = await http(running(), 'POST', '/api/v1/keys', { name: 'analyst', scopes: ['read'] });
    const refused = await http(running(), 'PUT', '/api/v1/touchpoints/hotline', definition('hacker', 'act'), bearer(made.body.key));
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('needs admin');
    const list = await http(running(), 'GET', '/api/v1/touchpoints', undefined, bearer(made.body.key));
    expect(list.status).toBe(200);
    expect(list.body.items.find((i: { touchpoint: string }) => i.touchpoint === 'hotline').owner).toBe('cskh');
  });

  it('lists registered touchpoints and, as new, those seen in events but not registered; the other touchpoint routes still answer', async () => {
    await http(running(), 'PUT', '/api/v1/touchpoints/zalo-oa', { ...definition('cskh', 'feel'), channel: 'chat', names: { vi: 'Zalo OA', en: 'Zalo OA' } });
    await http(running(), 'PUT', '/api/v1/touchpoints/web%3Apricing', definition('marketing', 'think', { channel: 'web', stage: 'evaluation' }));
    const { status, body } = await http(running(), 'GET', '/api/v1/touchpoints');
    expect(status).toBe(200);
    const items = body.items as { touchpoint: string; status: string; owner: string | null; channel: string | null; stage: string | null; names: unknown }[];
    expect(items.filter((i) => i.status === 'registered').map((i) => [i.touchpoint, i.owner])).toEqual(
      expect.arrayContaining([
        ['hotline', 'cskh'],
        ['zalo-oa', 'cskh'],
        ['web:pricing', 'marketing'],
      ]),
    );
    expect(items.find((i) => i.touchpoint === 'email:tet')).toMatchObject({ status: 'new', channel: 'email', stage: 'awareness', names: null, owner: null });
    expect(items.find((i) => i.touchpoint === 'store:q1')).toMatchObject({ status: 'new' });
    expect(items.filter((i) => i.touchpoint === 'hotline')).toHaveLength(1);

    for (const path of [
      '/api/v1/touchpoints/worst?metric=nps&window=30d',
      '/api/v1/touchpoints/by-stage?metric=nps&window=30d',
      '/api/v1/touchpoints/hotline/comments',
    ])
      expect([path, (await http(running(), 'GET', path)).status]).toEqual([path, 200]);
  });

  it('NPS by experience type and by owner is the NPS of the union of their touchpoints (worked by hand); unregistered ones are unclassified', async () => {
    const byType = await http(running(), 'GET', '/api/v1/metrics?metric=nps&by=experienceType&window=30d&minSample=5');
    expect(byType.status).toBe(200);
    expect(byType.body.by).toBe('experienceType');
    const rows = Object.fromEntries(byType.body.rows.map((r: { key: string }) => [r.key, r]));
    // (3 promoters − 2 detractors) / 6 answers = 16.7 points
    expect(rows.feel).toMatchObject({ n: 6, promoters: 3, passives: 1, detractors: 2, meaningful: true });
    expect(rows.feel.value).toBeCloseTo(16.7, 1);
    expect(rows.think).toMatchObject({ value: 100, n: 1, meaningful: false });
    expect(rows.unclassified).toMatchObject({ value: -100, n: 1 });
    // the same six answers at one touchpoint give the same interval
    const reference = await http(
      running(),
      'GET',
      `/api/v1/metrics?metric=nps&by=touchpoint&from=${at(61).slice(0, 10)}&to=${at(58).slice(0, 10)}&minSample=5`,
    );
    const ref = reference.body.rows.find((r: { key: string }) => r.key === 'reference');
    expect(ref.n).toBe(6);
    expect([rows.feel.value, rows.feel.low, rows.feel.high]).toEqual([ref.value, ref.low, ref.high]);

    const byOwner = await http(running(), 'GET', '/api/v1/metrics?metric=nps&by=owner&window=30d&compare=previous');
    expect(byOwner.body.rows.map((r: { key: string; value: number; n: number }) => [r.key, r.n])).toEqual([
      ['cskh', 6],
      ['marketing', 1],
      ['unclassified', 1],
    ]);
    expect(byOwner.body.rows[0].trend).toBeDefined();
    // a series or a distribution is per key of a dimension: by owner is refused there, naming the parameter
    const series = await http(running(), 'GET', '/api/v1/metrics/series?metric=nps&by=owner&key=cskh&window=30d');
    expect([series.status, series.body.errors[0].field]).toEqual([400, 'by']);
  });

  it('the CLI registers and lists touchpoints; the server takes what it registered', async () => {
    const out = await runCli(
      running().dataDir,
      'touchpoint',
      'register',
      'email:tet',
      '--name-vi',
      'Email Tết',
      '--name-en',
      'Tet e-mail',
      '--channel',
      'email',
      '--stage',
      'awareness',
      '--owner',
      'marketing',
      '--type',
      'relate',
    );
    expect(out).toContain('email:tet is at version 1');
    const list = await runCli(running().dataDir, 'touchpoint', 'list');
    expect(list).toContain('email:tet  v1  relate  marketing  email awareness  "Tet e-mail" / "Email Tết"');
    expect(list).toContain('store:q1  new');
    await expect(
      runCli(
        running().dataDir,
        'touchpoint',
        'register',
        'x',
        '--name-vi',
        'a',
        '--name-en',
        'b',
        '--channel',
        'c',
        '--stage',
        'nope',
        '--owner',
        'o',
        '--type',
        'act',
      ),
    ).rejects.toThrow('stage: stage must be one of');
    await settled(running());
    const catalog = await http(running(), 'GET', '/api/v1/touchpoints');
    expect(catalog.body.items.find((i: { touchpoint: string }) => i.touchpoint === 'email:tet')).toMatchObject({
      status: 'registered',
      experienceType: 'relate',
      version: 1,
    });
  });
});
