import { randomUUID } from 'node:crypto';
import { StoreUnavailableError, WrongExpectedRevisionError } from '../event-store.errors';
import type { NewEvent } from '../event-store.port';
import { eventStoreContract } from '@journeyline/event-store/testing/event-store.contract';
import { KurrentDbEventStore, type KurrentDbAppendNotice } from './kurrentdb-event-store';
import { eventUuid } from './kurrentdb-records';
import { InMemoryKurrentDb } from '@journeyline/event-store/testing/in-memory-kurrentdb';

const connectionString = process.env.KURRENTDB_CONNECTION_STRING?.trim();

if (connectionString) {
  // A real server answers in milliseconds per call; a 1,000-event append makes a few thousand calls.
  jest.setTimeout(60_000);
  // One server for every test: each test gets its own namespace and sees the log from its start only.
  eventStoreContract('kurrentdb', async () => {
    const store = await KurrentDbEventStore.open(connectionString, { namespace: `jl-test-${randomUUID().slice(0, 8)}/`, startPosition: 'end' });
    return { store, cleanup: () => store.close() };
  });
} else {
  describe.skip('EventStore contract: kurrentdb — skipped: KURRENTDB_CONNECTION_STRING is not set (no KurrentDB server can run on this machine; `docker compose up kurrentdb` starts one, then KURRENTDB_CONNECTION_STRING=esdb://127.0.0.1:2113?tls=false)', () => {
    it('holds the shared contract against a real KurrentDB server', () => undefined);
  });
}

// The adapter's own logic (index, claims, retries, position mapping, filtering) against the
// in-memory KurrentDB, on every machine. The binding to the real client is tested above.
eventStoreContract('kurrentdb adapter over the in-memory KurrentDB (no server)', async () => {
  const store = await KurrentDbEventStore.over(new InMemoryKurrentDb());
  return { store, cleanup: () => store.close() };
});

describe('KurrentDbEventStore', () => {
  let kurrent: InMemoryKurrentDb;
  let store: KurrentDbEventStore;
  beforeEach(async () => {
    kurrent = new InMemoryKurrentDb();
    store = await KurrentDbEventStore.over(kurrent, { claimGraceMs: 50 });
  });
  afterEach(() => store.close());

  const visit = (eventId: string = randomUUID(), n = 1): NewEvent => ({
    eventId,
    type: 'touchpoint.visited',
    data: { touchpoint: 'zalo-oa', channel: 'chat', stage: 'awareness', n },
    occurredAt: '2026-11-20T02:15:00.000Z',
  });
  const ours = () => kurrent.records().filter((r) => !r.streamId.startsWith('$') && !r.streamId.startsWith('journeyline-event-id-'));

  it('writes streams as given, the type as the KurrentDB type and eventId and times as metadata', async () => {
    await store.append([{ streamId: 'customer-c-1042', expectedRevision: 'no_stream', events: [visit('e-1')] }]);
    const [recorded] = ours();
    expect(recorded).toMatchObject({
      streamId: 'customer-c-1042',
      id: eventUuid('e-1'),
      type: 'touchpoint.visited',
      revision: 0n,
      data: visit('e-1').data,
      metadata: { eventId: 'e-1', occurredAt: '2026-11-20T02:15:00.000Z', recordedAt: expect.any(String) },
    });
  });

  it('hands out commit positions (far apart) and reads $all without system events or its index', async () => {
    const result = await store.append([
      { streamId: 'customer-a', expectedRevision: 'no_stream', events: [visit(), visit()] },
      { streamId: 'customer-b', expectedRevision: 'no_stream', events: [visit()] },
    ]);
    const positions = result.events.map((e) => e.position);
    expect(positions[0]).toBeGreaterThan(1_000_000);
    expect(positions[1] - positions[0]).toBeGreaterThan(1);
    expect(kurrent.records().some((r) => r.streamId.startsWith('$'))).toBe(true);
    expect(kurrent.records().some((r) => r.streamId.startsWith('journeyline-event-id-'))).toBe(true);

    const all = await store.readAll({ after: 0, limit: 100 });
    expect(all.map((e) => e.position)).toEqual(positions);
    expect(all.map((e) => e.streamId)).toEqual(['customer-a', 'customer-a', 'customer-b']);
    expect(await store.headPosition()).toBe(positions[2]);
  });

  it('recognises an eventId long after KurrentDB would have forgotten it, in any stream', async () => {
    const first = await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('e-old')] }]);
    for (let i = 0; i < 20; i++) await store.append([{ streamId: `customer-${i + 2}`, expectedRevision: 'any', events: [visit()] }]);

    const again = await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('e-old')] }]);
    expect(again.events[0]).toEqual({ ...first.events[0], duplicate: true });
    expect(ours().filter((r) => r.id === eventUuid('e-old'))).toHaveLength(1);
  });

  it('stores an event whose writer died between claiming its id and appending it, once, after the grace period', async () => {
    kurrent.beforeAppend = (streamId) => {
      if (streamId === 'customer-1') throw new StoreUnavailableError('connection lost');
    };
    await expect(store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit('e-1')] }])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.findByEventIds(['e-1'])).toEqual(new Map());
    kurrent.beforeAppend = undefined;

    // Another process (a new store over the same database) retries: the dangling claim is taken over.
    const other = await KurrentDbEventStore.over(kurrent, { claimGraceMs: 50 });
    const startedAt = Date.now();
    const retried = await other.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit('e-1')] }]);
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(retried.events[0]).toMatchObject({ eventId: 'e-1', revision: 0, duplicate: false });
    expect((await store.findByEventIds(['e-1'])).get('e-1')).toMatchObject({ position: retried.events[0].position });
  });

  it('applies a multi-stream call stream by stream: a failure part way leaves earlier streams written, and a retry completes it', async () => {
    const requests = [
      { streamId: 'customer-a', expectedRevision: 'no_stream' as const, events: [visit('a-1'), visit('a-2')] },
      { streamId: 'customer-b', expectedRevision: 'no_stream' as const, events: [visit('b-1')] },
    ];
    kurrent.beforeAppend = (streamId) => {
      if (streamId === 'customer-b') throw new StoreUnavailableError('connection lost');
    };
    await expect(store.append(requests)).rejects.toBeInstanceOf(StoreUnavailableError);
    expect((await store.readAll({ after: 0, limit: 10 })).map((e) => e.eventId)).toEqual(['a-1', 'a-2']); // the honest limit
    kurrent.beforeAppend = undefined;

    const retried = await store.append(requests);
    expect(retried.events.map((e) => [e.eventId, e.revision, e.duplicate])).toEqual([
      ['a-1', 0, true],
      ['a-2', 1, true],
      ['b-1', 0, false],
    ]);
    expect((await store.readAll({ after: 0, limit: 10 })).map((e) => e.eventId)).toEqual(['a-1', 'a-2', 'b-1']);
  });

  it("appends with 'any' while another writer moves the stream, reporting the revisions it really got", async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => store.append([{ streamId: 'customer-busy', expectedRevision: 'any', events: [visit(`busy-${i}`)] }])),
    );
    const stream = await store.readStream('customer-busy');
    expect(stream.map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    for (const result of results) {
      const [appended] = result.events;
      expect(appended.duplicate).toBe(false);
      expect(stream[appended.revision]).toMatchObject({ eventId: appended.eventId, position: appended.position });
      expect(result.streams['customer-busy']).toBe(appended.revision);
    }
  });

  /** Makes another writer append `racer` to the stream just before this store's own write to it. */
  function raceOnce(streamId: string, racer: NewEvent): void {
    let raced = false;
    kurrent.beforeAppend = async (stream) => {
      if (stream !== streamId || raced) return;
      raced = true;
      const other = await KurrentDbEventStore.over(kurrent);
      await other.append([{ streamId, expectedRevision: 'any', events: [racer] }]);
    };
  }

  it('reports a numeric expected revision overtaken between its check and its write as a conflict', async () => {
    await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('first')] }]);
    raceOnce('customer-1', visit('racer'));

    const late = visit('late');
    const error = await store.append([{ streamId: 'customer-1', expectedRevision: 0, events: [late] }]).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect(error).toMatchObject({ streamId: 'customer-1', expected: 0, actual: 1 });
    expect((await store.readStream('customer-1')).map((e) => e.eventId)).toEqual(['first', 'racer']);
    expect(await store.findByEventIds(['late'])).toEqual(new Map());
  });

  it("lets 'any' through a stream overtaken between its check and its write, at the revision it really got", async () => {
    await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('first')] }]);
    raceOnce('customer-1', visit('racer'));

    const result = await store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit('mine')] }]);

    expect(result.events[0]).toMatchObject({ eventId: 'mine', revision: 2, duplicate: false });
    expect(result.streams).toEqual({ 'customer-1': 2 });
    const stream = await store.readStream('customer-1');
    expect(stream.map((e) => e.eventId)).toEqual(['first', 'racer', 'mine']);
    expect(stream[2].position).toBe(result.events[0].position);
  });

  it('keeps namespaces apart in one database', async () => {
    const staging = await KurrentDbEventStore.over(kurrent, { namespace: 'staging/' });
    await store.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('e-1')] }]);
    await staging.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit('e-1')] }]);

    expect((await staging.readAll({ after: 0, limit: 10 })).map((e) => [e.streamId, e.eventId])).toEqual([['customer-1', 'e-1']]);
    expect((await staging.findByEventIds(['e-1'])).get('e-1')?.streamId).toBe('customer-1');
    // Without a namespace a store sees the whole database (never another namespace's index).
    expect((await store.readAll({ after: 0, limit: 10 })).map((e) => e.streamId)).toEqual(['customer-1', 'staging/customer-1']);
  });

  it("sees nothing before its start position ('end': the log's end when opened)", async () => {
    await store.append([{ streamId: 'customer-old', expectedRevision: 'no_stream', events: [visit()] }]);
    const fresh = await KurrentDbEventStore.over(kurrent, { startPosition: 'end' });
    expect(await fresh.readAll({ after: 0, limit: 10 })).toEqual([]);
    expect(await fresh.headPosition()).toBe(0);
    const appended = await fresh.append([{ streamId: 'customer-new', expectedRevision: 'no_stream', events: [visit()] }]);
    expect((await fresh.readAll({ after: 0, limit: 10 })).map((e) => e.position)).toEqual([appended.events[0].position]);
  });

  it('rejects stream ids KurrentDB or its index own', async () => {
    await expect(store.append([{ streamId: '$settings', expectedRevision: 'any', events: [visit()] }])).rejects.toThrow(TypeError);
    await expect(store.append([{ streamId: 'journeyline-event-id-x', expectedRevision: 'any', events: [visit()] }])).rejects.toThrow(TypeError);
  });

  it('reports an unreachable server as unavailable and unhealthy, and works again once it is back', async () => {
    kurrent.unavailable = true;
    await expect(store.readAll({ after: 0, limit: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.append([{ streamId: 'customer-1', expectedRevision: 'any', events: [visit()] }])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(await store.health()).toMatchObject({ store: 'kurrentdb', ok: false });
    kurrent.unavailable = false;
    expect(await store.health()).toMatchObject({ store: 'kurrentdb', ok: true, position: 0 });
  });

  it('reports a closed store as unavailable', async () => {
    await store.close();
    await store.close();
    await expect(store.streamRevision('customer-1')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('wakes subscribers on appends from any process, and says so when notices may have been missed', async () => {
    const notices: (KurrentDbAppendNotice | null)[] = [];
    const unsubscribe = store.subscribe((notice) => notices.push(notice));
    const other = await KurrentDbEventStore.over(kurrent);
    const result = await other.append([{ streamId: 'customer-1', expectedRevision: 'no_stream', events: [visit(), visit()] }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(notices).toEqual(result.events.map((e) => ({ position: e.position, count: 1 })));

    kurrent.dropSubscriptions();
    expect(notices.at(-1)).toBeNull();
    unsubscribe();
  });
});

describe('KurrentDbEventStore over @eventstore/db-client', () => {
  it('reports a server that cannot be reached as unavailable when opening', async () => {
    await expect(KurrentDbEventStore.open('kurrentdb://127.0.0.1:1?tls=false&defaultDeadline=3000')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses a connection string the client cannot read', async () => {
    await expect(KurrentDbEventStore.open('postgres://127.0.0.1:5432/x')).rejects.toThrow(TypeError);
  });
});
