import { SqliteEventStore, type StoredEvent } from '@journeyline/event-store';
import { customerStreamId, initialState, type CustomerCommand, type Stage } from '@journeyline/journey';
import { CustomerStateCache } from './customer-state-cache';
import { BatchRejectedError, recordCustomerEvents } from './record-customer-events';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

const personal = localPersonalData();

const AT = (day: number) => new Date(Date.UTC(2026, 10, day, 3)).toISOString();
const visit = (eventId: string, stage: Stage, day: number, customerId = 'c-1'): CustomerCommand => ({
  type: 'RecordTouchpointVisit',
  eventId,
  customerId,
  occurredAt: new Date(Date.UTC(2026, 10, day, 3)).toISOString(),
  data: { touchpoint: `web:${stage}`, channel: 'web', stage },
});
const purchase = (eventId: string, orderId: string, day: number, customerId = 'c-1'): CustomerCommand => ({
  type: 'RecordPurchase',
  eventId,
  customerId,
  occurredAt: new Date(Date.UTC(2026, 10, day, 3)).toISOString(),
  data: { orderId, amount: 100, currency: 'VND' },
});

/** What a stream holds, without the store's own clock. */
async function streamOf(store: SqliteEventStore, customerId = 'c-1') {
  return (await store.readStream(customerStreamId(customerId))).map(({ recordedAt: _, position: __, ...event }: StoredEvent) => event);
}

describe('recording with folded customer states kept between calls', () => {
  let cached: SqliteEventStore;
  let plain: SqliteEventStore;
  beforeEach(() => {
    cached = SqliteEventStore.open(':memory:');
    plain = SqliteEventStore.open(':memory:');
  });
  afterEach(async () => {
    await cached.close();
    await plain.close();
  });

  it('decides exactly as a full read does, also when another writer appended to the customer meanwhile', async () => {
    const states = new CustomerStateCache();
    const steps: { commands: CustomerCommand[]; byOtherWriter?: boolean }[] = [
      { commands: [visit('e-1', 'awareness', 1), visit('e-2', 'evaluation', 2)] },
      { commands: [purchase('e-3', 'o-1', 3)], byOtherWriter: true },
      { commands: [visit('e-4', 'use', 4), visit('e-5', 'evaluation', 5)] },
      { commands: [purchase('e-6', 'o-2', 6), visit('e-7', 'advocacy', 7)], byOtherWriter: true },
      { commands: [visit('e-8', 'use', 8)] },
    ];
    for (const { commands, byOtherWriter } of steps) {
      await recordCustomerEvents(cached, commands, byOtherWriter ? { personal } : { personal, states });
      await recordCustomerEvents(plain, commands, { personal });
    }
    expect(await streamOf(cached)).toEqual(await streamOf(plain));
    // The other writer's purchases are seen: use is entered from purchase (e-4), not from evaluation.
    expect((await streamOf(cached)).filter((e) => e.type === 'StageEntered').map((e) => `${e.data.from}>${e.data.stage}`)).toEqual([
      'null>awareness',
      'awareness>evaluation',
      'evaluation>purchase',
      'purchase>use',
      'evaluation>purchase',
      'purchase>advocacy',
    ]);
    expect(states.get(customerStreamId('c-1'))?.revision).toBe(await cached.streamRevision(customerStreamId('c-1')));
  });

  it('keeps the stored state when a batch is refused, so the next batch is judged on what is stored', async () => {
    const states = new CustomerStateCache();
    await recordCustomerEvents(cached, [purchase('e-1', 'o-1', 1)], { personal, states });
    await expect(recordCustomerEvents(cached, [purchase('e-2', 'o-2', 2), purchase('e-3', 'o-1', 3)], { personal, states })).rejects.toThrow(
      BatchRejectedError,
    );
    // o-2 was decided in the refused batch but never stored: recording it now is no duplicate order.
    await recordCustomerEvents(cached, [purchase('e-4', 'o-2', 4)], { personal, states });
    expect((await streamOf(cached)).filter((e) => e.type === 'PurchaseMade').map((e) => e.data.orderId)).toEqual(['o-1', 'o-2']);
  });

  it('reads no stream for a customer whose state it keeps, and reads the streams of the others', async () => {
    const states = new CustomerStateCache();
    await recordCustomerEvents(cached, [visit('e-1', 'awareness', 1)], { personal, states });
    const readOne = jest.spyOn(cached, 'readStream');
    const readMany = jest.spyOn(cached as Required<typeof cached>, 'readStreams');
    await recordCustomerEvents(cached, [visit('e-2', 'evaluation', 2), visit('e-3', 'awareness', 2, 'c-2')], { personal, states });
    const streamsRead = [...readOne.mock.calls.map(([streamId]) => streamId), ...readMany.mock.calls.flatMap(([reads]) => reads.map((r) => r.streamId))];
    expect(streamsRead).toEqual([customerStreamId('c-2')]);
    expect((await streamOf(cached)).map((e) => e.type)).toEqual(['TouchpointVisited', 'StageEntered', 'TouchpointVisited', 'StageEntered']);
  });

  // The append's expected revision does not guard these two outcomes of a state gone stale: a command that records nothing, a rule broken.
  it('judges a merge said again on what is stored when another writer unmerged the customer meanwhile', async () => {
    const states = new CustomerStateCache();
    const merge = (eventId: string): CustomerCommand => ({ type: 'MergeCustomer', eventId, customerId: 'c-1', occurredAt: AT(2), data: { from: 'anon-7' } });
    const unmerge: CustomerCommand = { type: 'UnmergeCustomer', eventId: 'u-1', customerId: 'c-1', occurredAt: AT(3), data: { from: 'anon-7' } };
    for (const [commands, options] of [
      [[visit('e-1', 'awareness', 1), merge('m-1')], { personal, states }],
      [[unmerge], { personal }],
      [[merge('m-2')], { personal, states }],
    ] as const) {
      await recordCustomerEvents(cached, commands, options);
      await recordCustomerEvents(plain, commands, { personal });
    }
    expect(await streamOf(cached)).toEqual(await streamOf(plain));
    expect((await streamOf(cached)).map((e) => e.eventId)).toEqual(['e-1', 'stage e-1', 'm-1', 'u-1', 'm-2']);
  });

  it('judges a journey rule on what is stored when another writer appended to the customer meanwhile', async () => {
    const states = new CustomerStateCache();
    await recordCustomerEvents(cached, [visit('e-1', 'use', 1)], { personal, states });
    await recordCustomerEvents(cached, [{ type: 'OpenTicket', eventId: 't-1', customerId: 'c-1', occurredAt: AT(2), data: { ticketId: 'tk-1' } }], {
      personal,
    });
    // the state kept has no ticket tk-1: decided on it alone, this would break ticket-never-opened
    await recordCustomerEvents(cached, [{ type: 'ResolveTicket', eventId: 't-2', customerId: 'c-1', occurredAt: AT(3), data: { ticketId: 'tk-1' } }], {
      personal,
      states,
    });
    expect((await streamOf(cached)).map((e) => e.type)).toEqual(['TouchpointVisited', 'StageEntered', 'TicketOpened', 'TicketResolved']);
  });

  it('forgets the least recently used customer first and never goes back to an older fold', () => {
    const states = new CustomerStateCache(2);
    states.set('customer-a', 1, initialState());
    states.set('customer-b', 1, initialState());
    states.get('customer-a');
    states.set('customer-c', 0, initialState());
    expect([states.get('customer-a')?.revision, states.get('customer-b'), states.get('customer-c')?.revision]).toEqual([1, undefined, 0]);
    states.set('customer-a', 0, { ...initialState(), churned: true });
    expect(states.get('customer-a')).toEqual({ revision: 1, state: initialState() });
    expect(states.size).toBe(2);
  });
});
