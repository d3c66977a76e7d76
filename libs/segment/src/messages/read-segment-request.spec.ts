import { PROTOTYPE_NAMES } from '@journeyline/recording/testing/hostile-input';
import { readSegmentRequest, type SegmentRoute } from './read-segment-request';
import type { SegmentMessage } from './segment-message';

const track = { type: 'track', userId: 'u-1', event: 'Product Viewed', messageId: 'm-1' };

function accepted(route: SegmentRoute, body: unknown): SegmentMessage[] {
  const read = readSegmentRequest(route, body);
  if (!read.ok) throw new Error(`refused: ${JSON.stringify(read.errors)}`);
  return read.messages;
}

function refusedFields(route: SegmentRoute, body: unknown): string[] {
  const read = readSegmentRequest(route, body);
  if (read.ok) throw new Error('accepted');
  expect(read.errors.every((e) => e.reason.length > 0)).toBe(true);
  return read.errors.map((e) => e.field);
}

describe("reading Segment's HTTP tracking API", () => {
  it('reads a batch as analytics-node sends it: the batch sentAt and context apply to messages that have none', () => {
    const [message] = accepted('batch', {
      batch: [{ ...track, timestamp: '2026-11-20T02:15:00.000Z', properties: { plan: 'gold' }, integrations: {}, _metadata: { x: 1 } }],
      writeKey: 'ignored',
      sentAt: '2026-11-20T02:15:01.000Z',
      context: { library: { name: 'analytics-node' } },
    });
    expect(message).toMatchObject({
      index: 0,
      at: 'batch[0].',
      type: 'track',
      messageId: 'm-1',
      userId: 'u-1',
      anonymousId: null,
      event: 'Product Viewed',
      properties: { plan: 'gold' },
      context: { library: { name: 'analytics-node' } },
      timestamp: Date.parse('2026-11-20T02:15:00.000Z'),
      sentAt: Date.parse('2026-11-20T02:15:01.000Z'),
    });
  });

  it('reads a single message on its route; the type may be left out but not contradict the route', () => {
    expect(accepted('identify', { userId: 'u-1', traits: { email: 'a@b.vn' } })[0]).toMatchObject({ type: 'identify', at: '', traits: { email: 'a@b.vn' } });
    expect(refusedFields('identify', { type: 'track', userId: 'u-1' })).toEqual(['type']);
  });

  it('reads a text/plain body (analytics.js) as JSON', () => {
    expect(accepted('track', JSON.stringify({ userId: 'u-1', event: 'x' }))[0].event).toBe('x');
    expect(refusedFields('track', '{not json')).toEqual(['body']);
  });

  it('takes ids sent as numbers as their digits; null, absent and "" are none', () => {
    const [message] = accepted('track', { userId: 42, anonymousId: null, event: 7, messageId: '' });
    expect(message).toMatchObject({ userId: '42', anonymousId: null, event: '7', messageId: null });
    expect(message.contentDigest).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(accepted('track', { ...track, messageId: 5 })[0].messageId).toBe('5');
  });

  it('reads timestamp, else originalTimestamp; a time without offset is UTC', () => {
    expect(accepted('track', { ...track, originalTimestamp: '2026-11-20T02:15:00Z' })[0].timestamp).toBe(Date.parse('2026-11-20T02:15:00Z'));
    expect(accepted('track', { ...track, timestamp: '2026-11-20T09:15:00+07:00' })[0].timestamp).toBe(Date.parse('2026-11-20T02:15:00Z'));
    expect(accepted('track', { ...track, timestamp: '2026-11-20T02:15:00' })[0].timestamp).toBe(Date.parse('2026-11-20T02:15:00Z'));
  });

  it('gives a message without messageId an id from its content, the same whatever the key order and transport fields', () => {
    const a = accepted('track', { userId: 'u-1', event: 'x', properties: { a: 1, b: 2 }, sentAt: '2026-11-20T02:15:00Z' })[0];
    const b = accepted('track', { properties: { b: 2, a: 1 }, event: 'x', userId: 'u-1', sentAt: '2026-11-21T02:15:00Z', _metadata: {} })[0];
    const c = accepted('track', { userId: 'u-1', event: 'x', properties: { a: 1, b: 3 } })[0];
    expect(a.contentDigest).toBe(b.contentDigest);
    expect(a.contentDigest).not.toBe(c.contentDigest);
  });

  describe('refuses what is malformed, naming each field', () => {
    const cases: [string, SegmentRoute, unknown, string[]][] = [
      ['a body that is not an object', 'batch', [track], ['body']],
      ['no batch', 'batch', { events: [track] }, ['batch']],
      ['an empty batch', 'batch', { batch: [] }, ['batch']],
      ['a message that is not an object', 'batch', { batch: [track, 'x'] }, ['batch[1]']],
      ['an unknown type', 'batch', { batch: [{ ...track, type: 'purchase' }] }, ['batch[0].type']],
      ['a type that is a prototype name', 'batch', { batch: [{ ...track, type: 'constructor' }] }, ['batch[0].type']],
      ['no one named', 'batch', { batch: [{ type: 'page', name: 'Home' }] }, ['batch[0].userId']],
      ['a track without event', 'track', { userId: 'u-1' }, ['event']],
      ['an alias without previousId', 'alias', { userId: 'u-1' }, ['previousId']],
      ['an alias without userId', 'alias', { anonymousId: 'a-1', previousId: 'a-0' }, ['userId']],
      ['a group without groupId', 'group', { userId: 'u-1' }, ['groupId']],
      ['an id that is an object', 'track', { userId: { $gt: '' }, event: 'x' }, ['userId']],
      ['an id that is a list', 'track', { anonymousId: ['a'], event: 'x' }, ['anonymousId']],
      ['an id that is true', 'track', { userId: true, event: 'x' }, ['userId']],
      ['an id too long', 'track', { userId: 'u'.repeat(201), event: 'x' }, ['userId']],
      ['an id with a NUL', 'track', { userId: 'u\u0000', event: 'x' }, ['userId']],
      ['an id with a lone surrogate', 'track', { userId: 'u\ud800', event: 'x' }, ['userId']],
      ['a blank id', 'track', { userId: '   ', event: 'x' }, ['userId']],
      ['a messageId that is an object', 'track', { ...track, messageId: {} }, ['messageId']],
      ['an event that is an object', 'track', { userId: 'u-1', event: { name: 'x' } }, ['event']],
      ['properties that are a list', 'track', { ...track, properties: [1] }, ['properties']],
      ['traits that are text', 'identify', { userId: 'u-1', traits: 'x' }, ['traits']],
      ['a context that is a number', 'track', { ...track, context: 1 }, ['context']],
      ['a timestamp that is not ISO 8601', 'track', { ...track, timestamp: 'yesterday' }, ['timestamp']],
      ['a timestamp that is a number', 'track', { ...track, timestamp: 1_700_000_000_000 }, ['timestamp']],
      ['a timestamp on 30 February', 'track', { ...track, timestamp: '2026-02-30T00:00:00Z' }, ['timestamp']],
      ['a timestamp at hour 25', 'track', { ...track, timestamp: '2026-11-20T25:00:00Z' }, ['timestamp']],
      ['an originalTimestamp that is bad', 'track', { ...track, originalTimestamp: '2026-13-01T00:00:00Z' }, ['originalTimestamp']],
      ['a batch sentAt that is bad', 'batch', { batch: [track], sentAt: 'now' }, ['sentAt']],
      ['a message over 32 KB', 'batch', { batch: [{ ...track, properties: { x: 'x'.repeat(33_000) } }] }, ['batch[0]']],
    ];
    it.each(cases)('%s', (_name, route, body, fields) => {
      expect(refusedFields(route, body)).toEqual(fields);
    });
  });

  it('refuses a batch over 500 KB, and lists at most 50 errors', () => {
    const big = Array.from({ length: 20 }, (_, i) => ({ ...track, messageId: `m-${i}`, properties: { pad: 'x'.repeat(30_000) } }));
    expect(refusedFields('batch', { batch: big })).toEqual(['batch']);
    const bad = Array.from({ length: 500 }, () => ({ type: 'track' }));
    const read = readSegmentRequest('batch', { batch: bad });
    expect(read.ok ? 0 : read.errors.length).toBeLessThan(55);
  });

  it('refuses nesting too deep to measure, without throwing', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(refusedFields('batch', { batch: [{ ...track, properties: { deep } }] })).toEqual(['batch[0]']);
  });

  it('reads prototype names as plain keys and values, never through a prototype', () => {
    for (const name of PROTOTYPE_NAMES) {
      const raw = JSON.parse(
        `{"userId": ${JSON.stringify(name)}, "event": ${JSON.stringify(name)}, "properties": {${JSON.stringify(name)}: 1}, "traits": {"${name}": "x"}}`,
      );
      const [message] = accepted('track', raw);
      expect([message.userId, message.event]).toEqual([name, name]);
      expect(Object.keys(message.properties)).toEqual([name]);
      // inherited names are not fields: an object with only a prototype's toString has no event
      expect(refusedFields('track', Object.assign(Object.create({ event: 'inherited', userId: 'u-1' }), {}) as object)).toEqual(['body']);
    }
    const nullPrototype = Object.assign(Object.create(null) as object, { userId: 'u-1', event: 'x' });
    expect(accepted('track', nullPrototype)[0].event).toBe('x');
  });
});
