import fc from 'fast-check';
import { edgyValue, PROTOTYPE_NAMES } from './fuzz';

/**
 * Segment requests as an attacker or a buggy library sends them: ordinary messages of every type
 * (as analytics.js and analytics-node write them) with 0 to 3 mutations (a field of the message,
 * of its properties or traits set to an edgy value, removed, or a stranger added), a fresh
 * messageId unless a mutation chose one, or any JSON value at all.
 */
const MESSAGES: readonly Record<string, unknown>[] = [
  { type: 'track', userId: 'fz-u-1', event: 'Product Viewed', properties: { stage: 'evaluation', channel: 'web', sku: 'A1' } },
  { type: 'track', anonymousId: 'fz-a-1', event: 'Clicked', context: { library: { name: 'analytics.js' } } },
  { type: 'track', userId: 'fz-u-4', event: 'Order Completed', properties: { order_id: 'o-1', total: 10, stage: 'purchase' } },
  {
    type: 'page',
    userId: 'fz-u-1',
    anonymousId: 'fz-a-1',
    name: 'Pricing',
    properties: { path: '/pricing', url: 'https://x.example/pricing', stage: 'evaluation' },
  },
  { type: 'page', anonymousId: 'fz-a-3', context: { page: { path: '/blog' } } },
  { type: 'screen', userId: 'fz-u-2', name: 'Home', properties: { stage: 'use' } },
  { type: 'identify', userId: 'fz-u-1', anonymousId: 'fz-a-2', traits: { name: 'Lan', email: 'lan@example.vn', plan: 'gold', address: { city: 'Huế' } } },
  { type: 'alias', userId: 'fz-u-3', previousId: 'fz-u-1' },
  { type: 'group', userId: 'fz-u-1', groupId: 'g-1', traits: { industry: 'retail' } },
];

const KEYS = [
  'type',
  'messageId',
  'userId',
  'anonymousId',
  'previousId',
  'groupId',
  'event',
  'name',
  'properties',
  'traits',
  'context',
  'timestamp',
  'originalTimestamp',
  'sentAt',
];

const mutation = fc.record({
  where: fc.constantFrom('message', 'message', 'properties', 'traits'),
  key: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...KEYS, 'stage', 'channel', 'path', 'email', 'order_id', 'total') },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  ),
  value: fc.oneof(
    { weight: 4, arbitrary: edgyValue },
    { weight: 1, arbitrary: fc.constantFrom('2026-11-20T02:15:00.000Z', '2099-01-01T00:00:00Z', 'use', null) },
  ),
  remove: fc.boolean(),
});

function set(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

export function segmentMessage(unique: () => string): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc
        // two in five messages as a library writes them, the rest with 1 to 3 mutations: a batch of several must often be whole to be taken
        .tuple(
          fc.constantFrom(...MESSAGES),
          fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) }),
        )
        .map(([base, mutations]) => {
          const message: Record<string, unknown> = { ...base, messageId: unique() };
          for (const m of mutations) {
            let target = message;
            if (m.where !== 'message') {
              if (typeof message[m.where] !== 'object' || message[m.where] === null) set(message, m.where, {});
              target = message[m.where] as Record<string, unknown>;
            }
            if (m.remove) delete target[m.key];
            else set(target, m.key, m.value);
          }
          return message;
        }),
    },
    { weight: 1, arbitrary: fc.oneof(edgyValue, fc.anything({ maxDepth: 3 })) },
  );
}

/** A `/v1/batch` body: mostly a batch of 1 to 4 messages, sometimes a stranger. */
export function segmentBatch(unique: () => string): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc
        .tuple(fc.array(segmentMessage(unique), { minLength: 1, maxLength: 4 }), fc.option(fc.constantFrom('2026-11-20T02:15:00.000Z', 'x', 5)))
        .map(([batch, sentAt]) => ({ batch, ...(sentAt === null ? {} : { sentAt }), writeKey: 'ignored' })),
    },
    { weight: 1, arbitrary: fc.constantFrom({ batch: [] }, { batch: null }, { batch: {} }, { events: [] }, [], 'x') },
    {
      weight: 1,
      arbitrary: fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'batch', 'context'), fc.array(segmentMessage(unique), { maxLength: 2 }), { maxKeys: 3 }),
    },
  );
}
