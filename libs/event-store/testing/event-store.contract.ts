import { randomUUID } from 'node:crypto';
import { DuplicateEventIdError, NotAllNewError, WrongExpectedRevisionError } from '@journeyline/event-store/event-store.errors';
import {
  readAllHeaders,
  readStreams,
  type AppendRequest,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
} from '@journeyline/event-store/event-store.port';

/**
 * The behaviour every `EventStore` adapter must show, written once so that SQLite, PostgreSQL and
 * KurrentDB are held to the same rules. Usage, in an adapter's spec file:
 *
 *   eventStoreContract('postgres', async () => ({ store, cleanup }));
 *
 * The factory runs before every test and must hand back an empty store (as seen through the
 * port: `readAll` from 0 returns nothing); `cleanup` runs after the test and must release it.
 * Ids are random anyway, so a store left over from an aborted run cannot make a test pass.
 */
export function eventStoreContract(name: string, factory: () => Promise<{ store: EventStore; cleanup: () => Promise<void> }>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let cleanup: (() => Promise<void>) | undefined;
    const run = randomUUID().slice(0, 8);
    /** A stream id unique to this run, so a shared server can never answer from an earlier one. */
    const stream = (label: string) => `${label}-${run}`;

    beforeEach(async () => {
      ({ store, cleanup } = await factory());
    });

    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    let counter = 0;
    function event(overrides: Partial<NewEvent> = {}): NewEvent {
      counter += 1;
      return {
        eventId: randomUUID(),
        type: 'touchpoint.visited',
        data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation', n: counter },
        occurredAt: new Date(Date.UTC(2026, 10, 20, 2, 15, 0, counter)).toISOString(),
        ...overrides,
      };
    }

    function events(count: number): NewEvent[] {
      return Array.from({ length: count }, () => event());
    }

    function request(streamId: string, expectedRevision: ExpectedRevision, newEvents: NewEvent[]): AppendRequest {
      return { streamId, expectedRevision, events: newEvents };
    }

    async function readEverything() {
      return store.readAll({ after: 0, limit: 10_000 });
    }

    async function rejection(promise: Promise<unknown>): Promise<Error> {
      try {
        await promise;
      } catch (error) {
        if (error instanceof Error) return error;
        throw new Error(`rejected with a non-Error: ${String(error)}`);
      }
      throw new Error('expected the promise to reject, but it resolved');
    }

    function expectStrictlyIncreasing(positions: number[]): void {
      for (const position of positions) expect(Number.isSafeInteger(position) && position > 0).toBe(true);
      for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]);
    }

    /** Everything the store knows, to compare before and after a rejected append. */
    async function snapshot() {
      return { all: await readEverything(), head: await store.headPosition() };
    }

    describe('appending and reading a stream', () => {
      it('starts empty', async () => {
        expect(await readEverything()).toEqual([]);
      });

      it('appends to a new stream with no_stream and reads it back in revision order', async () => {
        const id = stream('customer-c1');
        const appended = [event({ type: 'touchpoint.visited' }), event({ type: 'feedback.given' }), event({ type: 'ticket.opened' })];

        const result = await store.append([request(id, 'no_stream', appended)]);

        expect(result.events.map((e) => [e.eventId, e.streamId, e.revision, e.duplicate])).toEqual([
          [appended[0].eventId, id, 0, false],
          [appended[1].eventId, id, 1, false],
          [appended[2].eventId, id, 2, false],
        ]);
        expectStrictlyIncreasing(result.events.map((e) => e.position));
        expect(result.streams).toEqual({ [id]: 2 });

        const read = await store.readStream(id);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read.map((e) => e.position)).toEqual(result.events.map((e) => e.position));
        read.forEach((stored, i) => {
          expect(stored).toMatchObject({ ...appended[i], streamId: id });
        });
      });

      it('appends after the numeric revision of the last event', async () => {
        const id = stream('customer-c2');
        const first = await store.append([request(id, 'no_stream', [event()])]);
        const second = await store.append([request(id, 0, events(2))]);
        const third = await store.append([request(id, 2, [event()])]);

        expect(second.events.map((e) => e.revision)).toEqual([1, 2]);
        expect(third.events.map((e) => e.revision)).toEqual([3]);
        expect(third.streams).toEqual({ [id]: 3 });
        expectStrictlyIncreasing([first, second, third].flatMap((r) => r.events.map((e) => e.position)));
        expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
      });

      it('reads an unknown stream as empty and its revision as -1', async () => {
        await store.append([request(stream('customer-known'), 'no_stream', [event()])]);
        expect(await store.readStream(stream('customer-unknown'))).toEqual([]);
        expect(await store.streamRevision(stream('customer-unknown'))).toBe(-1);
      });

      it('reports the revision of the last event of a stream', async () => {
        const id = stream('customer-c3');
        await store.append([request(id, 'no_stream', events(4))]);
        await store.append([request(stream('customer-other'), 'no_stream', events(2))]);
        expect(await store.streamRevision(id)).toBe(3);
        expect(await store.streamRevision(stream('customer-other'))).toBe(1);
      });

      it('reads a stream from a revision and up to a limit', async () => {
        const id = stream('customer-c4');
        await store.append([request(id, 'no_stream', events(6))]);
        expect((await store.readStream(id, { fromRevision: 2 })).map((e) => e.revision)).toEqual([2, 3, 4, 5]);
        expect((await store.readStream(id, { fromRevision: 1, limit: 3 })).map((e) => e.revision)).toEqual([1, 2, 3]);
        expect((await store.readStream(id, { limit: 2 })).map((e) => e.revision)).toEqual([0, 1]);
        expect(await store.readStream(id, { fromRevision: 6 })).toEqual([]);
      });

      it('reads several streams at once, each from its own revision, in the order asked', async () => {
        const [a, b, unknown] = [stream('customer-many-a'), stream('customer-many-b'), stream('customer-many-none')];
        await store.append([request(a, 'no_stream', events(3)), request(b, 'no_stream', events(4))]);
        const reads = [{ streamId: b, fromRevision: 2 }, { streamId: unknown }, { streamId: a }, { streamId: b }];
        const found = await readStreams(store, reads);
        expect(found.map((events) => events.map((e) => `${e.streamId === a ? 'a' : 'b'}${e.revision}`))).toEqual([
          ['b2', 'b3'],
          [],
          ['a0', 'a1', 'a2'],
          ['b0', 'b1', 'b2', 'b3'],
        ]);
        // the same events, whole, as one read each gives them
        expect(found[2]).toEqual(await store.readStream(a));
        expect(found[0]).toEqual(await store.readStream(b, { fromRevision: 2 }));
        expect(await readStreams(store, [])).toEqual([]);
      });

      it('reads the log without the data: the same events as readAll, position, stream, revision, id and type', async () => {
        const [a, b] = [stream('customer-headers-a'), stream('customer-headers-b')];
        const after = await store.headPosition();
        await store.append([request(a, 'no_stream', events(2)), request(b, 'no_stream', events(3))]);
        const whole = await store.readAll({ after, limit: 4 });
        const headers = await readAllHeaders(store, { after, limit: 4 });
        expect(headers).toHaveLength(4);
        expect(headers).toEqual(whole.map(({ position, streamId, revision, eventId, type }) => ({ position, streamId, revision, eventId, type })));
        expect(await readAllHeaders(store, { after: whole[3].position, limit: 10 })).toEqual([expect.objectContaining({ streamId: b, revision: 2 })]);
        expect(await readAllHeaders(store, { after, limit: 0 })).toEqual([]);
      });

      it('appends to several streams in one call, reporting results in request order', async () => {
        const a = stream('customer-a');
        const b = stream('customer-b');
        const c = stream('customer-c');
        await store.append([request(b, 'no_stream', [event()])]);
        const batch = [events(2), events(1), events(3)];

        const result = await store.append([request(a, 'no_stream', batch[0]), request(b, 0, batch[1]), request(c, 'any', batch[2])]);

        expect(result.events.map((e) => [e.eventId, e.streamId, e.revision])).toEqual([
          [batch[0][0].eventId, a, 0],
          [batch[0][1].eventId, a, 1],
          [batch[1][0].eventId, b, 1],
          [batch[2][0].eventId, c, 0],
          [batch[2][1].eventId, c, 1],
          [batch[2][2].eventId, c, 2],
        ]);
        expectStrictlyIncreasing(result.events.map((e) => e.position));
        expect(result.streams).toEqual({ [a]: 1, [b]: 1, [c]: 2 });
        expect((await store.readStream(b)).map((e) => e.eventId)).toEqual([expect.any(String), batch[1][0].eventId]);
      });

      it('accepts an empty call and writes nothing', async () => {
        expect(await store.append([])).toEqual({ events: [], streams: {} });
        expect(await readEverything()).toEqual([]);
      });
    });

    describe('optimistic concurrency', () => {
      it.each([
        ['behind', 0],
        ['ahead', 5],
      ])('rejects a numeric expected revision that is %s and writes nothing', async (_label, expected) => {
        const id = stream('customer-occ');
        await store.append([request(id, 'no_stream', events(2))]);
        const before = await snapshot();
        const late = event();

        const error = await rejection(store.append([request(id, expected, [late])]));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId: id, expected, actual: 1 });
        expect(await snapshot()).toEqual(before);
        expect((await store.findByEventIds([late.eventId])).size).toBe(0);
      });

      it('rejects a numeric expected revision on a stream that does not exist', async () => {
        const id = stream('customer-none');
        const error = await rejection(store.append([request(id, 0, [event()])]));
        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId: id, expected: 0, actual: -1 });
        expect(await readEverything()).toEqual([]);
      });

      it('rejects no_stream on an existing stream and writes nothing', async () => {
        const id = stream('customer-exists');
        await store.append([request(id, 'no_stream', [event()])]);
        const before = await snapshot();

        const error = await rejection(store.append([request(id, 'no_stream', [event()])]));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId: id, expected: 'no_stream', actual: 0 });
        expect(await snapshot()).toEqual(before);
      });

      it('skips the check for any, on a new and on an existing stream', async () => {
        const id = stream('customer-any');
        const first = await store.append([request(id, 'any', events(2))]);
        const second = await store.append([request(id, 'any', [event()])]);
        expect(first.events.map((e) => e.revision)).toEqual([0, 1]);
        expect(second.events.map((e) => e.revision)).toEqual([2]);
        expect(await store.streamRevision(id)).toBe(2);
      });

      it('rejects the whole call when one of its requests conflicts', async () => {
        const a = stream('customer-ok');
        const b = stream('customer-conflict');
        await store.append([request(b, 'no_stream', [event()])]);
        const before = await snapshot();

        const error = await rejection(store.append([request(a, 'no_stream', events(3)), request(b, 7, [event()])]));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId: b });
        expect(await snapshot()).toEqual(before);
        expect(await store.streamRevision(a)).toBe(-1);
      });

      it('lets exactly one of two concurrent appends at the same revision win', async () => {
        const id = stream('customer-race');
        await store.append([request(id, 'no_stream', [event()])]);
        const contenders = [event(), event()];

        const outcomes = await Promise.allSettled(contenders.map((e) => store.append([request(id, 0, [e])])));

        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(failed).toHaveLength(1);
        expect(failed[0].reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(id)).toHaveLength(2);
      });
    });

    describe('idempotency by eventId', () => {
      it('returns the original position for a re-appended event, writes nothing, even at a stale revision', async () => {
        const id = stream('customer-retry');
        const retried = events(2);
        const original = await store.append([request(id, 'no_stream', retried)]);
        const before = await snapshot();

        // 'no_stream' is stale now: the check is skipped because every event is a duplicate.
        const again = await store.append([
          request(
            id,
            'no_stream',
            retried.map((e) => ({ ...e })),
          ),
        ]);

        expect(again.events).toEqual(original.events.map((e) => ({ ...e, duplicate: true })));
        expect(again.streams).toEqual({ [id]: 1 });
        expect(await snapshot()).toEqual(before);
      });

      it('treats data with keys in another order as the same body', async () => {
        const id = stream('customer-keys');
        const original = event({
          data: { kind: 'nps', score: 9, scale: '0-10', nested: { a: 1, b: [{ x: 1, y: 2 }] } },
        });
        const first = await store.append([request(id, 'no_stream', [original])]);

        const reordered = {
          ...original,
          data: { nested: { b: [{ y: 2, x: 1 }], a: 1 }, scale: '0-10', score: 9, kind: 'nps' },
        };
        const again = await store.append([request(id, 0, [reordered])]);

        expect(again.events).toEqual([{ ...first.events[0], duplicate: true }]);
        expect(await readEverything()).toHaveLength(1);
      });

      it.each([
        ['data', (e: NewEvent) => ({ ...e, data: { ...e.data, touchpoint: 'hotline' } }), 'same'],
        ['type', (e: NewEvent) => ({ ...e, type: 'feedback.given' }), 'same'],
        ['occurredAt', (e: NewEvent) => ({ ...e, occurredAt: '2026-11-21T00:00:00.000Z' }), 'same'],
        ['stream', (e: NewEvent) => ({ ...e }), 'other'],
      ] as const)('rejects a stored eventId with a different %s and writes nothing', async (_field, change, target) => {
        const id = stream('customer-dup');
        const other = stream('customer-dup-other');
        const original = event();
        await store.append([request(id, 'no_stream', [original])]);
        const before = await snapshot();
        const fresh = event();

        // 'any' so that only the eventId can be the reason for the rejection.
        const error = await rejection(store.append([request(target === 'same' ? id : other, 'any', [fresh, change(original)])]));

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId: original.eventId });
        expect(await snapshot()).toEqual(before);
        expect((await store.findByEventIds([fresh.eventId])).size).toBe(0);
      });

      it('stores an eventId repeated with the same body inside one call once', async () => {
        const a = stream('customer-repeat-a');
        const b = stream('customer-repeat-b');
        const repeated = event();
        const other = event();

        const result = await store.append([
          request(a, 'no_stream', [repeated, { ...repeated }, other]),
          request(b, 'no_stream', [event()]),
          // Every event of this request is a duplicate, so its stale expected revision is not checked.
          request(a, 'no_stream', [{ ...repeated, data: { ...repeated.data } }]),
        ]);

        const [first, second, third, , fifth] = result.events;
        expect(first).toMatchObject({ eventId: repeated.eventId, revision: 0, duplicate: false });
        expect(second).toEqual({ ...first, duplicate: true });
        expect(third).toMatchObject({ eventId: other.eventId, revision: 1, duplicate: false });
        expect(fifth).toEqual({ ...first, duplicate: true });
        expect(result.streams).toEqual({ [a]: 1, [b]: 0 });
        expect((await store.readStream(a)).map((e) => e.eventId)).toEqual([repeated.eventId, other.eventId]);
        expect(await readEverything()).toHaveLength(3);
      });

      it('rejects an eventId repeated with a different body inside one call and writes nothing', async () => {
        const a = stream('customer-clash-a');
        const b = stream('customer-clash-b');
        const repeated = event();

        const error = await rejection(
          store.append([request(a, 'no_stream', [repeated, event()]), request(b, 'no_stream', [event(), { ...repeated, data: { ...repeated.data, n: -1 } }])]),
        );

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId: repeated.eventId });
        expect(await readEverything()).toEqual([]);
      });

      it('checks the expected revision of a request mixing duplicates and new events', async () => {
        const id = stream('customer-mixed');
        const stored = event();
        const original = await store.append([request(id, 'no_stream', [stored])]);
        const before = await snapshot();

        const stale = await rejection(store.append([request(id, 'no_stream', [stored, event()])]));
        expect(stale).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await snapshot()).toEqual(before);

        const added = event();
        const result = await store.append([request(id, 0, [stored, added])]);
        expect(result.events[0]).toEqual({ ...original.events[0], duplicate: true });
        expect(result.events[1]).toMatchObject({ eventId: added.eventId, revision: 1, duplicate: false });
        expect(result.events[1].position).toBeGreaterThan(original.events[0].position);
      });

      it('stores an event appended twice concurrently once', async () => {
        const id = stream('customer-twice');
        const delivered = event();

        const results = await Promise.all([store.append([request(id, 'any', [delivered])]), store.append([request(id, 'any', [{ ...delivered }])])]);

        const outcomes = results.map((r) => r.events[0]);
        expect(outcomes.map((o) => o.duplicate).sort()).toEqual([false, true]);
        expect(outcomes[0].position).toBe(outcomes[1].position);
        expect(await store.readStream(id)).toHaveLength(1);
      });
    });

    // The write path's first try for a batch (libs/recording): append without looking ids up.
    describe('appendNew, where the store offers it (else the write path looks ids up first)', () => {
      /** The store's appendNew; a store without one must leave it out (undefined), never half-offer it. */
      const appendNew = (requests: AppendRequest[]) => (store.appendNew ? store.appendNew(requests) : Promise.resolve(null));

      it('appends new events exactly as append does', async () => {
        if (!store.appendNew) return expect(store.appendNew).toBeUndefined();
        const [a, b] = [stream('customer-new-a'), stream('customer-new-b')];
        await store.append([request(b, 'no_stream', [event()])]);
        const batch = [events(2), events(1)];
        const result = await appendNew([request(a, 'no_stream', batch[0]), request(b, 0, batch[1])]);
        expect(result?.events.map((e) => [e.eventId, e.streamId, e.revision, e.duplicate])).toEqual([
          [batch[0][0].eventId, a, 0, false],
          [batch[0][1].eventId, a, 1, false],
          [batch[1][0].eventId, b, 1, false],
        ]);
        expect(result?.streams).toEqual({ [a]: 1, [b]: 1 });
        expect((await store.readStream(a)).map((e) => e.eventId)).toEqual(batch[0].map((e) => e.eventId));
      });

      it('refuses a call holding an event id already stored (even with the same body), writing none of it', async () => {
        if (!store.appendNew) return expect(store.appendNew).toBeUndefined();
        const id = stream('customer-new-stored');
        const stored = event();
        await store.append([request(id, 'no_stream', [stored])]);
        const head = await store.headPosition();
        const other = stream('customer-new-other');
        await expect(appendNew([request(other, 'no_stream', events(2)), request(id, 'any', [{ ...stored }])])).rejects.toBeInstanceOf(NotAllNewError);
        await expect(appendNew([request(other, 'no_stream', [event(), { ...stored }])])).rejects.toMatchObject({
          name: 'NotAllNewError',
          reason: 'stored-event-id',
        });
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream(other)).toEqual([]);
        // append still answers it as the duplicate it is
        const again = await store.append([request(id, 'any', [{ ...stored }])]);
        expect(again.events[0]).toMatchObject({ eventId: stored.eventId, duplicate: true });
      });

      it('refuses a stream not at its expected revision, writing nothing, and the next new position follows the last stored one', async () => {
        if (!store.appendNew) return expect(store.appendNew).toBeUndefined();
        const id = stream('customer-new-revision');
        const first = await store.append([request(id, 'no_stream', events(2))]);
        await expect(appendNew([request(stream('customer-new-x'), 'no_stream', [event()]), request(id, 0, [event()])])).rejects.toMatchObject({
          name: 'NotAllNewError',
          reason: 'revision',
        });
        expect(await store.readStream(stream('customer-new-x'))).toEqual([]);
        const next = await appendNew([request(id, 1, [event()])]);
        expect(next?.events[0].position).toBeGreaterThan(first.events[1].position);
        expect((await store.readStream(id)).map((e) => e.revision)).toEqual([0, 1, 2]);
      });
    });

    describe('reading all streams in global order', () => {
      /** Interleaves three streams over several calls; returns event ids in the order appended. */
      async function appendInterleaved(): Promise<{ ids: string[]; results: AppendResult[] }> {
        const streams = [stream('customer-x'), stream('customer-y'), stream('customer-z')];
        const results: AppendResult[] = [];
        for (let round = 0; round < 3; round++) {
          results.push(await store.append(streams.map((id) => request(id, round === 0 ? 'no_stream' : round * 2 - 1, events(2)))));
        }
        return { ids: results.flatMap((r) => r.events.map((e) => e.eventId)), results };
      }

      it('reads everything from position 0 in global order', async () => {
        const { ids, results } = await appendInterleaved();
        const all = await store.readAll({ after: 0, limit: 100 });

        expect(all.map((e) => e.eventId)).toEqual(ids);
        expect(all.map((e) => e.position)).toEqual(results.flatMap((r) => r.events.map((e) => e.position)));
        expectStrictlyIncreasing(all.map((e) => e.position));
        expect(new Set(all.map((e) => e.streamId)).size).toBe(3);
      });

      it('reads from a middle position, exclusive, up to a limit', async () => {
        const { ids } = await appendInterleaved();
        const all = await store.readAll({ after: 0, limit: 100 });
        const middle = all[6].position;

        expect((await store.readAll({ after: middle, limit: 100 })).map((e) => e.eventId)).toEqual(ids.slice(7));
        expect((await store.readAll({ after: middle, limit: 4 })).map((e) => e.eventId)).toEqual(ids.slice(7, 11));
        expect((await store.readAll({ after: 0, limit: 1 })).map((e) => e.eventId)).toEqual(ids.slice(0, 1));
        expect(await store.readAll({ after: all[all.length - 1].position, limit: 100 })).toEqual([]);
      });

      it('pages through every event exactly once', async () => {
        const { ids } = await appendInterleaved();
        const seen: string[] = [];
        let after = 0;
        // Bounded, so a store that re-serves its `after` event fails here instead of looping forever.
        for (let pages = 0; pages <= ids.length; pages++) {
          const page = await store.readAll({ after, limit: 5 });
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(5);
          seen.push(...page.map((e) => e.eventId));
          after = page[page.length - 1].position;
        }
        expect(seen).toEqual(ids);
      });

      it('reports the last position as the head', async () => {
        const { results } = await appendInterleaved();
        const last = results[results.length - 1].events.at(-1)!.position;
        expect(await store.headPosition()).toBe(last);

        // A call made only of duplicates moves nothing.
        const all = await readEverything();
        await store.append([request(all[0].streamId, 'any', [toNewEvent(all[0])])]);
        expect(await store.headPosition()).toBe(last);
      });

      it('finds stored events by eventId, leaving unknown ids out', async () => {
        await appendInterleaved();
        const all = await readEverything();
        const wanted = [all[1], all[4], all[8]];
        const missing = randomUUID();

        const found = await store.findByEventIds([wanted[0].eventId, missing, wanted[1].eventId, wanted[2].eventId, wanted[0].eventId]);

        expect([...found.keys()].sort()).toEqual(wanted.map((e) => e.eventId).sort());
        for (const stored of wanted) expect(found.get(stored.eventId)).toEqual(stored);
        expect(found.has(missing)).toBe(false);
        expect((await store.findByEventIds([])).size).toBe(0);
      });
    });

    describe('a 1,000-event append', () => {
      const STREAMS = 100;
      const PER_STREAM = 10;
      const streamIds = Array.from({ length: STREAMS }, (_, i) => stream(`customer-bulk-${i}`));
      function bulk(): AppendRequest[] {
        return streamIds.map((id) => request(id, 'no_stream', events(PER_STREAM)));
      }

      it('stores all of it, readable in order', async () => {
        const requests = bulk();
        const result = await store.append(requests);

        expect(result.events).toHaveLength(STREAMS * PER_STREAM);
        expect(result.events.every((e) => !e.duplicate)).toBe(true);
        expectStrictlyIncreasing(result.events.map((e) => e.position));
        expect(Object.values(result.streams)).toEqual(Array(STREAMS).fill(PER_STREAM - 1));

        const all = await store.readAll({ after: 0, limit: 1000 });
        expect(all.map((e) => e.eventId)).toEqual(requests.flatMap((r) => r.events.map((e) => e.eventId)));
        expect(await store.headPosition()).toBe(result.events[999].position);
        expect(await store.streamRevision(streamIds[57])).toBe(PER_STREAM - 1);
        expect((await store.readStream(streamIds[57])).map((e) => e.eventId)).toEqual(requests[57].events.map((e) => e.eventId));
      });

      it('stores nothing when its last request conflicts', async () => {
        const seeded = await store.append([request(streamIds[STREAMS - 1], 'no_stream', [event()])]);
        const before = await snapshot();
        const requests = bulk(); // the last request expects no_stream on the seeded stream

        const error = await rejection(store.append(requests));

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ streamId: streamIds[STREAMS - 1] });
        expect(await snapshot()).toEqual(before);
        expect(await store.headPosition()).toBe(seeded.events[0].position);
        expect((await store.findByEventIds(requests[0].events.map((e) => e.eventId))).size).toBe(0);
        expect(await store.streamRevision(streamIds[0])).toBe(-1);
      });

      it('stores nothing when its last event is a conflicting duplicate', async () => {
        const original = event();
        const seeded = await store.append([request(stream('customer-seed'), 'no_stream', [original])]);
        const before = await snapshot();
        const requests = bulk();
        requests[STREAMS - 1].events[PER_STREAM - 1] = { ...original, type: 'feedback.given' };

        const error = await rejection(store.append(requests));

        expect(error).toBeInstanceOf(DuplicateEventIdError);
        expect(error).toMatchObject({ eventId: original.eventId });
        expect(await snapshot()).toEqual(before);
        expect(await store.headPosition()).toBe(seeded.events[0].position);
        expect(await store.streamRevision(streamIds[0])).toBe(-1);
      });
    });

    describe('what the store records', () => {
      it('sets recordedAt itself, as an ISO instant no earlier than the append', async () => {
        const startedAt = Date.now();
        const id = stream('customer-recorded');
        const appended = event({ occurredAt: '2020-01-02T03:04:05.678Z' });
        await store.append([request(id, 'no_stream', [appended])]);
        const finishedAt = Date.now();

        const [stored] = await store.readStream(id);
        expect(typeof stored.recordedAt).toBe('string');
        expect(new Date(stored.recordedAt).toISOString()).toBe(stored.recordedAt);
        expect(Date.parse(stored.recordedAt)).toBeGreaterThanOrEqual(startedAt);
        expect(Date.parse(stored.recordedAt)).toBeLessThanOrEqual(finishedAt);
        expect(stored.occurredAt).toBe(appended.occurredAt);
        expect((await store.readAll({ after: 0, limit: 1 }))[0].recordedAt).toBe(stored.recordedAt);
        expect((await store.findByEventIds([appended.eventId])).get(appended.eventId)?.recordedAt).toBe(stored.recordedAt);
      });

      it('round-trips data: nested objects, arrays, unicode, numbers, booleans and null', async () => {
        const id = stream('customer-data');
        const data = {
          kind: 'nps',
          score: 9,
          scale: '0-10',
          comment: 'Nhân viên hỗ trợ nhanh',
          emoji: '👍🏽 cảm ơn',
          escapes: 'quote " backslash \\ newline \n tab \t',
          'khóa có dấu': 'giá trị',
          numbers: { zero: 0, negative: -42, fraction: 0.1, tiny: 1e-7, big: Number.MAX_SAFE_INTEGER, large: 1.5e300 },
          flags: { yes: true, no: false },
          nothing: null,
          empty: { object: {}, array: [], text: '' },
          nested: { touchpoint: { id: 'store:hcm-q1', tags: ['Hồ Chí Minh', 1, null, false, { deep: [[2]] }] } },
        };
        const appended = event({ type: 'feedback.given', data });
        await store.append([request(id, 'no_stream', [appended])]);

        const [fromStream] = await store.readStream(id);
        expect(fromStream.data).toStrictEqual(data);
        expect(fromStream.type).toBe('feedback.given');
        expect((await store.readAll({ after: 0, limit: 10 }))[0].data).toStrictEqual(data);
        expect((await store.findByEventIds([appended.eventId])).get(appended.eventId)?.data).toStrictEqual(data);
      });

      it('reports health with its name and head position', async () => {
        const result = await store.append([request(stream('customer-health'), 'no_stream', events(3))]);
        const health = await store.health();
        expect(health).toMatchObject({ ok: true, store: store.name, position: result.events[2].position });
        expect(store.name).toEqual(expect.stringMatching(/\S/));
      });
    });
  });
}

function toNewEvent(stored: NewEvent): NewEvent {
  const { eventId, type, data, occurredAt } = stored;
  return { eventId, type, data, occurredAt };
}
