import { SqliteEventStore, type StoredEvent } from '@journeyline/event-store';
import { customerStreamId, initialState, type CustomerCommand, type Stage } from '@journeyline/journey';
import { CustomerStateCache } from './customer-state-cache';
import { BatchRejectedError, recordCustomerEvents } from './record-customer-events';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

const personal = localPersonalData();

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
