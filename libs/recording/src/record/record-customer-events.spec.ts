import fc from 'fast-check';
import { SqliteEventStore, type EventStore, type StoredEvent } from '@journeyline/event-store';
import { STAGES, type CustomerCommand } from '@journeyline/journey';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';
import { CustomerStateCache } from './customer-state-cache';
import { recordCustomerEvents, type RecordedEvent } from './record-customer-events';

const personal = localPersonalData();
const CUSTOMERS = ['c-1', 'c-2', 'c-3'];
const at = (minute: number) => new Date(Date.UTC(2026, 10, 1, 3, minute)).toISOString();

/** The store as one without `appendNew` sees it: every batch goes the careful way (look ids up, then append). */
function withoutAppendNew(store: SqliteEventStore): EventStore {
  return {
    name: store.name,
    append: (requests) => store.append(requests),
    readStream: (streamId, options) => store.readStream(streamId, options),
    readStreams: (reads) => store.readStreams(reads),
    readAll: (options) => store.readAll(options),
    findByEventIds: (ids) => store.findByEventIds(ids),
    streamRevision: (streamId) => store.streamRevision(streamId),
    headPosition: () => store.headPosition(),
    health: () => store.health(),
    close: () => store.close(),
  };
}

/** A new command, no personal field (sealing is randomised: two stores would store different bytes). */
const freshCommand = (n: number): fc.Arbitrary<CustomerCommand> =>
  fc
    .tuple(fc.constantFrom(...CUSTOMERS), fc.integer({ min: 0, max: 6 }), fc.constantFrom(...STAGES), fc.integer({ min: 0, max: 3 }))
    .map(([customerId, kind, stage, k]): CustomerCommand => {
      const base = { eventId: `e-${n}`, customerId, occurredAt: at(n) };
      switch (kind) {
        case 0:
        case 1:
          return { ...base, type: 'RecordTouchpointVisit', data: { touchpoint: `web:${stage}`, channel: 'web', stage } };
        case 2:
          return { ...base, type: 'RecordPurchase', data: { orderId: `o-${k}`, amount: 100, currency: 'VND' } };
        case 3:
          return { ...base, type: 'MergeCustomer', data: { from: `anon-${k}` } };
        case 4:
          return { ...base, type: 'RecordChurn', data: {} };
        case 5:
          return { ...base, type: 'OpenTicket', data: { ticketId: `t-${k}` } };
        default:
          return { ...base, type: 'RecordFeedback', data: { kind: 'nps', score: k * 3, scale: '0-10', touchpoint: 'hotline' } };
      }
    });

/** Each slot of a batch: a new command, a retry of one sent before (stored or refused), the same id with another body, or a repeat within the batch. */
type Slot = { kind: 'fresh'; command: CustomerCommand } | { kind: 'retry' | 'reused' | 'twice'; pick: number };

const batches = fc.array(
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: fc.nat(1_000).chain((n) => freshCommand(n).map((command): Slot => ({ kind: 'fresh', command }))) },
      { weight: 3, arbitrary: fc.nat().map((pick): Slot => ({ kind: 'retry', pick })) },
      { weight: 1, arbitrary: fc.nat().map((pick): Slot => ({ kind: 'reused', pick })) },
      { weight: 1, arbitrary: fc.nat().map((pick): Slot => ({ kind: 'twice', pick })) },
    ),
    { minLength: 1, maxLength: 6 },
  ),
  { minLength: 1, maxLength: 8 },
);

function outcome(run: () => Promise<RecordedEvent[]>): Promise<unknown> {
  return run().then(
    (recorded) => ({ recorded }),
    (error: Error) => ({ error: error.name, message: error.message }),
  );
}

const streams = (events: StoredEvent[]) => events.map(({ recordedAt: _, ...event }) => event);

describe('recordCustomerEvents: the first attempt assumes new ids (appendNew)', () => {
  it('answers and stores exactly what the careful way (ids looked up first) does, with retries, reused ids and repeats in a batch', async () => {
    let fastAppends = 0;
    await fc.assert(
      fc.asyncProperty(batches, fc.boolean(), async (slotsOfBatches, withCache) => {
        const fast = SqliteEventStore.open(':memory:');
        const careful = SqliteEventStore.open(':memory:');
        const states = withCache ? new CustomerStateCache() : undefined;
        const carefulStates = withCache ? new CustomerStateCache() : undefined;
        const appendNew = jest.spyOn(fast, 'appendNew');
        const sent: CustomerCommand[] = [];
        let serial = 10_000;
        try {
          for (const slots of slotsOfBatches) {
            const batch: CustomerCommand[] = [];
            for (const slot of slots) {
              const earlier = [...sent, ...batch];
              if (slot.kind === 'fresh' || earlier.length === 0) {
                batch.push(slot.kind === 'fresh' ? { ...slot.command, eventId: `e-${serial++}` } : (await fc.sample(freshCommand(serial++), 1))[0]);
                continue;
              }
              const picked = earlier[slot.pick % earlier.length];
              if (slot.kind === 'retry') batch.push(picked);
              else if (slot.kind === 'twice') batch.push(picked, picked);
              else batch.push({ ...picked, occurredAt: at(1_500) });
            }
            sent.push(...batch);
            const fastOutcome = await outcome(() => recordCustomerEvents(fast, batch, { personal, states }));
            const carefulOutcome = await outcome(() => recordCustomerEvents(withoutAppendNew(careful), batch, { personal, states: carefulStates }));
            expect(fastOutcome).toEqual(carefulOutcome);
          }
          expect(streams(await fast.readAll({ after: 0, limit: 10_000 }))).toEqual(streams(await careful.readAll({ after: 0, limit: 10_000 })));
          fastAppends += appendNew.mock.calls.length;
        } finally {
          await fast.close();
          await careful.close();
        }
      }),
      { numRuns: 150 },
    );
    // the runs went through appendNew (not only through refused batches)
    expect(fastAppends).toBeGreaterThan(150);
  });

  it('looks no id up for a batch of new events, and one batch retried whole is answered as duplicates at their first positions', async () => {
    const store = SqliteEventStore.open(':memory:');
    try {
      const batch: CustomerCommand[] = CUSTOMERS.map((customerId, i) => ({
        type: 'RecordTouchpointVisit',
        eventId: `v-${i}`,
        customerId,
        occurredAt: at(i),
        data: { touchpoint: 'web:home', channel: 'web', stage: 'awareness' },
      }));
      const lookUp = jest.spyOn(store, 'findByEventIds');
      const first = await recordCustomerEvents(store, batch, { personal });
      expect(lookUp).not.toHaveBeenCalled();
      const again = await recordCustomerEvents(store, batch, { personal });
      // appendNew refused (the ids are stored), so the retry went the careful way: one lookup
      expect(lookUp).toHaveBeenCalledTimes(1);
      expect(again).toEqual(first.map((recorded) => ({ ...recorded, duplicate: true })));
      // nothing written twice, and no position lost to the refused attempt
      expect((await store.readAll({ after: 0, limit: 100 })).map((e) => e.position)).toEqual([1, 2, 3, 4, 5, 6]);
    } finally {
      await store.close();
    }
  });
});
