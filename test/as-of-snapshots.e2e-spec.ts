import * as fs from 'node:fs';
import * as path from 'node:path';
import { http, postAll, settled, startServer, type RunningServer, PROJECTOR_THREAD } from './support/running-server';
import { bought } from './support/wire-events';

/**
 * The snapshot ladder over real HTTP: a server that snapshots its replayed read models every few
 * events (JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS) answers the funnel, the customer list and retention as
 * of a past moment from a snapshot plus the events after it, says so, and answers what it said
 * at that moment; a moment before any snapshot is replayed whole. Its server runs as the product
 * does (PROJECTOR_THREAD): the projector, the replays and the ladder's steps on threads of their own.
 */
const EVERY = 5;
const WINDOW = 'window=2026-11-01..2026-12-01';
const visited = (eventId: string, customerId: string, stage: string, occurredAt: string) => ({
  eventId,
  type: 'touchpoint.visited',
  customerId,
  occurredAt,
  data: { touchpoint: `web:${stage}`, channel: 'web', stage },
});

interface Meta {
  position: number;
  recordedUntil: string;
}

describe('asOf from the snapshot ladder (JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS)', () => {
  let server: RunningServer;
  let beforeAnything: string;
  let between: string;
  const READS = {
    funnel: `/api/v1/funnel?${WINDOW}`,
    customers: '/api/v1/customers?sort=customerId',
    retention: '/api/v1/retention?period=2026-11',
  };
  /** What the server answered at `between`. */
  const then: Record<string, any> = {};
  const get = async (pathname: string) => {
    const response = await http(server, 'GET', pathname);
    expect(response.status).toBe(200);
    return response.body;
  };
  const snapshots = (): Meta[] => {
    const dir = path.join(server.dataDir, 'as-of-snapshots', 'customers');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as Meta);
  };
  const until = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(snapshots())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    server = await startServer({ ...PROJECTOR_THREAD, JOURNEYLINE_AS_OF_SNAPSHOT_EVENTS: String(EVERY) });
    beforeAnything = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const first = Array.from({ length: 6 }, (_, i) => `kh-${i + 1}`);
    await postAll(server, [
      ...first.map((id) => visited(`a-${id}`, id, 'awareness', '2026-11-10T08:00:00+07:00')),
      ...first.slice(0, 4).map((id) => visited(`e-${id}`, id, 'evaluation', '2026-11-12T08:00:00+07:00')),
      ...first.slice(0, 2).map((id) => bought(`b-${id}`, id, '2026-11-14T08:00:00+07:00')),
    ]);
    await settled(server);
    await until(() => snapshots().length > 0, 'the first snapshots');
    for (const [name, pathname] of Object.entries(READS)) then[name] = await get(pathname);
    await new Promise((resolve) => setTimeout(resolve, 30));
    between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 30));
    // late: new customers and purchases dated before, recorded after `between`
    const late = Array.from({ length: 4 }, (_, i) => `kh-late-${i + 1}`);
    await postAll(server, [
      ...late.map((id) => visited(`a-${id}`, id, 'awareness', '2026-11-09T08:00:00+07:00')),
      ...late.map((id) => bought(`b-${id}`, id, '2026-11-11T08:00:00+07:00')),
      bought('b-kh-3', 'kh-3', '2026-11-13T08:00:00+07:00'),
    ]);
    await settled(server);
    await until(() => snapshots().some((s) => s.recordedUntil > between), 'a snapshot after the late events');
  }, 90_000);
  afterAll(() => server?.stop());

  it('answers as of a past moment from a snapshot plus the tail, and the answer is the one given then', async () => {
    const usable = snapshots()
      .filter((s) => s.recordedUntil <= between)
      .sort((a, b) => b.position - a.position)[0];
    expect(usable).toBeDefined();
    for (const [name, pathname] of Object.entries(READS)) {
      const { asOf, ...answered } = await get(`${pathname}&asOf=${encodeURIComponent(between)}`);
      expect(asOf).toEqual({
        asOf: between,
        path: 'snapshot + replay',
        snapshotPosition: usable.position,
        eventsReplayed: expect.any(Number),
        replayMs: expect.any(Number),
      });
      expect(answered).toEqual(then[name]);
      expect(await get(pathname)).not.toEqual(then[name]);
    }
    const funnel = await get(`${READS.funnel}&asOf=${encodeURIComponent(between)}`);
    expect(funnel.groups.reduce((sum: number, g: { cohort: number }) => sum + g.cohort, 0)).toBe(6);
  });

  it('a moment before any snapshot is usable is replayed whole, and knows nothing yet', async () => {
    const { asOf, items } = await get(`${READS.customers}&asOf=${encodeURIComponent(beforeAnything)}`);
    expect(asOf).toEqual({ asOf: beforeAnything, path: 'replay', eventsReplayed: expect.any(Number), replayMs: expect.any(Number) });
    expect(items).toEqual([]);
  });

  it('the metrics replayed with the catalog have a ladder of their own', async () => {
    await until(() => fs.existsSync(path.join(server.dataDir, 'as-of-snapshots', 'metrics')), 'the metrics ladder');
    const owner = await get(`/api/v1/metrics?metric=nps&by=owner&${WINDOW}&asOf=${encodeURIComponent(between)}`);
    expect(owner.asOf.path).toBe('snapshot + replay');
  });
});
