import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from './support/cli';
import { http, postAll, settled, startServer, tempDataDir, type RunningServer } from './support/running-server';

/**
 * Identity stitching over real HTTP: an anonymous visitor who signs up, a second device aliased to
 * the first, an admin merging two known ids. The journey map, the funnel, retention and the
 * customer list count one person; asking for any of their ids answers the person's journey; an
 * unmerge gives each customer back exactly as a store that never merged them answers it.
 */
const BASE = Date.now() - 10 * 86_400_000;
const day = (n: number, hour = 9) => new Date(BASE + n * 86_400_000 + hour * 3_600_000).toISOString();
const visit = (eventId: string, customerId: string, stage: string, touchpoint: string, at: string) => ({
  eventId,
  type: 'touchpoint.visited',
  customerId,
  occurredAt: at,
  data: { touchpoint, channel: 'web', stage },
});

/** The facts of three ids that are one person: an anonymous visitor, a second device, the signed-up user. */
const FACTS = [
  visit('a-1', 'anon-1', 'awareness', 'facebook-ad', day(1)),
  visit('a-2', 'anon-1', 'evaluation', 'web:pricing', day(2)),
  visit('d-1', 'device-2', 'evaluation', 'app:compare', day(3)),
  { eventId: 'd-2', type: 'feedback.given', customerId: 'device-2', occurredAt: day(3, 10), data: { kind: 'nps', score: 9, touchpoint: 'app:compare' } },
  visit('u-1', 'user-7', 'choice', 'web:cart', day(4)),
  { eventId: 'u-2', type: 'purchase.made', customerId: 'user-7', occurredAt: day(5), data: { orderId: 'o-1', amount: 1990000 } },
  visit('u-3', 'user-7', 'use', 'app:onboarding', day(6)),
  { eventId: 'u-4', type: 'customer.profiled', customerId: 'user-7', occurredAt: day(4), data: { segment: 'SME', name: 'Phạm Thu Hà' } },
  visit('o-1', 'other-1', 'awareness', 'facebook-ad', day(2)),
];
const IDS = ['anon-1', 'device-2', 'user-7', 'other-1'];
const ASOF = () => new Date(Date.now() + 3_600_000).toISOString();
const merged = (eventId: string, from: string, into: string) => ({ eventId, type: 'customer.merged', customerId: into, occurredAt: day(7), data: { from } });

async function answers(server: RunningServer, asOf: string) {
  const journeys: Record<string, unknown> = {};
  for (const id of IDS) {
    // asOf pins "now" (the stays' durations); how the answer was made (the events read) differs with the log, the answer must not
    const { asOfStatement: _, ...journey } = (await http(server, 'GET', `/api/v1/customers/${id}/journey?asOf=${asOf}`)).body;
    journeys[id] = journey;
  }
  const list = (await http(server, 'GET', '/api/v1/customers?limit=1000&sort=customerId')).body.items;
  return {
    journeys,
    list,
    funnel: (await http(server, 'GET', '/api/v1/funnel?window=30d')).body,
    retention: (await http(server, 'GET', '/api/v1/retention?window=30d')).body,
    nps: (await http(server, 'GET', '/api/v1/metrics?metric=nps&by=touchpoint&window=30d')).body,
  };
}

describe('identity stitching (e2e)', () => {
  let merging: RunningServer;
  let never: RunningServer;

  beforeAll(async () => {
    merging = await startServer();
    never = await startServer();
    for (const server of [merging, never]) await postAll(server, FACTS);
    await Promise.all([settled(merging), settled(never)]);
  });
  afterAll(async () => {
    await merging?.stop();
    await never?.stop();
  });

  it('anonymous → identified → aliased: one person in the journey, the list, the funnel and retention; any id answers', async () => {
    const before = await answers(merging, ASOF());
    expect(before.list.map((c: { customerId: string }) => c.customerId)).toEqual(['anon-1', 'device-2', 'other-1', 'user-7']);

    // identify (anon-1 is user-7), then an alias chain (device-2 is anon-1, already merged into user-7)
    expect(
      (await http(merging, 'POST', '/api/v1/events/batch', { events: [merged('m-1', 'anon-1', 'user-7'), merged('m-2', 'device-2', 'anon-1')] })).status,
    ).toBe(200);
    // said again (an identify on every page view): nothing new
    const again = await http(merging, 'POST', '/api/v1/events', { ...merged('m-1b', 'anon-1', 'user-7') });
    expect(again.body).toMatchObject({ duplicate: true });
    await settled(merging);

    const after = await answers(merging, ASOF());
    expect(after.list.map((c: { customerId: string }) => c.customerId)).toEqual(['other-1', 'user-7']);
    const person = after.list.find((c: { customerId: string }) => c.customerId === 'user-7');
    expect(person).toMatchObject({ eventCount: 8, currentStage: 'use', name: 'Phạm Thu Hà', segment: 'SME', lastNps: 9 });
    expect(person.firstSeenAt).toBe(day(1));

    const journey = after.journeys['user-7'] as {
      customerId: string;
      stages: { stage: string; touchpoints: { touchpoint: string }[] }[];
      mergedCustomers: string[];
      eventCount: number;
    };
    expect(journey.customerId).toBe('user-7');
    expect(journey.mergedCustomers).toEqual(['anon-1', 'device-2']);
    expect(journey.stages.map((s) => s.stage)).toEqual(['awareness', 'evaluation', 'choice', 'purchase', 'use']);
    expect(journey.stages[1].touchpoints.map((t) => t.touchpoint)).toEqual(['web:pricing', 'app:compare']);
    expect(journey.eventCount).toBe(8);
    for (const id of ['anon-1', 'device-2']) {
      const asked = after.journeys[id] as Record<string, unknown>;
      expect(asked).toMatchObject({ customerId: 'user-7', mergedInto: 'user-7' });
      expect({ ...asked, mergedInto: undefined }).toEqual({ ...journey, mergedInto: undefined });
    }

    // the funnel: the person's cohort starts at anon-1's first touchpoint and reaches use
    const all = (f: { groups: { group: string; stages: { stage: string; customers: number }[] }[] }) => f.groups.find((g) => g.group === 'all')!;
    const reached = (f: typeof after.funnel, stage: string) => all(f).stages.find((s: { stage: string }) => s.stage === stage)!.customers;
    // (a stage counts everyone who reached it or a later one: before, four customers; after, two persons)
    expect(reached(before.funnel, 'awareness')).toBe(4);
    expect(reached(after.funnel, 'awareness')).toBe(2);
    expect(reached(before.funnel, 'evaluation')).toBe(3);
    expect(reached(after.funnel, 'evaluation')).toBe(1);
    expect(reached(after.funnel, 'use')).toBe(1);
    // responses stay responses: NPS counts the answer once either way
    expect(after.nps).toEqual(before.nps);

    const events = (await http(merging, 'GET', '/api/v1/customers/anon-1/events?limit=100')).body.items;
    expect(events.some((e: { type: string }) => e.type === 'customer.merged')).toBe(true);
  });

  it('a merge the person graph would not take is a 409 naming why; an admin merge and unmerge are audited', async () => {
    const sameAlready = await http(merging, 'POST', '/api/v1/customers/merge', { from: 'anon-1', into: 'user-7' });
    expect([sameAlready.status, sameAlready.body.errors[0].field]).toEqual([409, 'from']);
    expect((await http(merging, 'POST', '/api/v1/customers/merge', { from: 'device-2', into: 'other-1' })).status).toBe(409);
    expect((await http(merging, 'POST', '/api/v1/customers/merge', { from: 'nobody', into: 'user-7' })).status).toBe(404);
    const notMerged = await http(merging, 'POST', '/api/v1/customers/unmerge', { from: 'other-1', into: 'user-7' });
    expect([notMerged.status, notMerged.body.rule]).toEqual([422, 'customer-not-merged']);
    expect((await http(merging, 'POST', '/api/v1/customers/merge', { from: 'user-7', into: 'user-7' })).status).toBe(409);
  });

  it('unmerging gives every customer back exactly as a store that never merged them answers', async () => {
    // undo the chain: device-2 from anon-1 (an alias), then anon-1 from user-7 (by an admin)
    expect(
      (
        await http(merging, 'POST', '/api/v1/events', {
          eventId: 'um-1',
          type: 'customer.unmerged',
          customerId: 'anon-1',
          occurredAt: day(8),
          data: { from: 'device-2' },
        })
      ).status,
    ).toBe(200);
    const undone = await http(merging, 'POST', '/api/v1/customers/unmerge', { from: 'anon-1', into: 'user-7' });
    expect(undone.body).toMatchObject({ outcome: 'unmerged' });
    await settled(merging);
    const asOf = ASOF();
    const [restored, reference] = [await answers(merging, asOf), await answers(never, asOf)];
    for (const id of IDS) expect([id, JSON.stringify(restored.journeys[id])]).toEqual([id, JSON.stringify(reference.journeys[id])]);
    expect(JSON.stringify(restored.list)).toBe(JSON.stringify(reference.list));
    expect(restored.funnel).toEqual(reference.funnel);
    expect(restored.retention).toEqual(reference.retention);
    expect(restored.nps).toEqual(reference.nps);
    const audit = (await http(merging, 'GET', '/api/v1/audit?limit=100')).body.items.map((e: { action: string }) => e.action);
    expect(audit).toContain('customer.unmerged');
  });

  it('a rebuild and a restart give the same person answers; an import of the same facts and merges gives them too', async () => {
    expect((await http(merging, 'POST', '/api/v1/customers/merge', { from: 'anon-1', into: 'user-7' })).body).toMatchObject({ outcome: 'merged' });
    await settled(merging);
    const asOf = ASOF();
    const live = await answers(merging, asOf);
    await merging.stop();
    expect(await runCli(merging.dataDir, 'rebuild')).toMatch(/rebuilt: \d+ events/);
    merging = await startServer({}, merging.dataDir);
    await settled(merging);
    expect(await answers(merging, asOf)).toEqual(live);

    const dir = tempDataDir('journeyline-identity-import-');
    const file = path.join(dir, 'events.ndjson');
    const lines = [...FACTS, merged('m-1', 'anon-1', 'user-7'), merged('m-2', 'device-2', 'anon-1')];
    fs.writeFileSync(file, lines.map((e) => JSON.stringify(e)).join('\n'));
    expect(await runCli(dir, 'import', file)).toMatch(/^imported 11 rows: 11 new/);
    const imported = await startServer({}, dir);
    try {
      await settled(imported);
      const answered = await answers(imported, asOf);
      expect(answered.list.map((c: { customerId: string }) => c.customerId)).toEqual(['other-1', 'user-7']);
      expect((answered.journeys['device-2'] as { mergedInto: string }).mergedInto).toBe('user-7');
    } finally {
      await imported.stop();
    }
  }, 60_000);
});
