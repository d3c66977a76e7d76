import { timeWasDefaulted } from '@journeyline/recording';
import { readSegmentRequest } from '../messages/read-segment-request';
import { parseSegmentMapping } from '../mapping/parse-segment-mapping';
import { BUILT_IN_MAPPING, type SegmentMapping } from '../mapping/segment-mapping';
import { SEGMENT_UNMAPPED_TYPE } from '../unmapped/unmapped-record';
import { segmentCommands } from './segment-commands';

const RECEIVED = new Date('2026-11-20T02:00:00.000Z');

function ingest(batch: Record<string, unknown>[], mapping: SegmentMapping = BUILT_IN_MAPPING, sentAt?: string) {
  const read = readSegmentRequest('batch', { batch, ...(sentAt ? { sentAt } : {}) });
  if (!read.ok) throw new Error(JSON.stringify(read.errors));
  return segmentCommands(read.messages, mapping, { timeZone: 'Asia/Ho_Chi_Minh', receivedAt: RECEIVED });
}

describe('Segment messages become customer commands through the shared wire format', () => {
  it('under derived eventIds, the time corrected for clock skew, in message order with merges first', () => {
    const result = ingest(
      [
        { type: 'identify', userId: 'u-1', anonymousId: 'a-1', traits: { email: 'lan@example.vn' }, messageId: 'm-1', timestamp: '2026-11-20T03:59:00.000Z' },
        { type: 'track', userId: 'u-1', event: 'Signed Up', properties: { stage: 'awareness' }, messageId: 'm-2' },
      ],
      BUILT_IN_MAPPING,
      '2026-11-20T04:00:00.000Z', // the client's clock is two hours fast
    );
    expect(result.errors).toEqual([]);
    expect(result.commands.map((c) => [c.type, c.eventId, c.customerId, c.occurredAt])).toEqual([
      ['MergeCustomer', 'segment m:m-1 customer.merged a-1', 'u-1', '2026-11-20T01:59:00.000Z'],
      ['ProfileCustomer', 'segment m:m-1 customer.profiled', 'u-1', '2026-11-20T01:59:00.000Z'],
      ['RecordTouchpointVisit', 'segment m:m-2 touchpoint.visited', 'u-1', RECEIVED.toISOString()],
    ]);
    expect(result.origins.map((m) => m.index)).toEqual([0, 0, 1]);
    // a retry carries another sentAt: the corrected time is not part of what the message is
    expect(result.commands.every((c) => timeWasDefaulted.has(c))).toBe(true);
  });

  it('a timestamp without sentAt is taken as it is (a history import), and is part of the message', () => {
    const { commands } = ingest([{ type: 'track', userId: 'u-1', event: 'x', properties: { stage: 'use' }, timestamp: '2025-01-01T00:00:00Z' }]);
    expect(commands[0].occurredAt).toBe('2025-01-01T00:00:00.000Z');
    expect(timeWasDefaulted.has(commands[0])).toBe(false);
  });

  it('a time more than a day ahead, even after the correction, makes the request a 400 naming the message', () => {
    const { errors, commands } = ingest([{ type: 'track', userId: 'u-1', event: 'x', messageId: 'm-9', timestamp: '2026-11-25T00:00:00Z' }]);
    expect(commands).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ field: 'batch[0].timestamp', index: 0, messageId: 'm-9' })]);
  });

  it('what the wire format refuses is listed, and the raw touchpoint recorded instead when there is one', () => {
    const mapping = parseSegmentMapping(
      'track:\n  - { event: Rated, as: feedback.given, kind: csat, scale: 1-5, from: { channel: where } }\n  - { event: Long, stage: use, from: { touchpoint: tp } }',
    );
    const result = ingest(
      [
        { type: 'track', userId: 'u-1', event: 'Rated', properties: { score: 4, where: 'x'.repeat(300), stage: 'use' }, messageId: 'm-1' },
        { type: 'track', userId: 'u-1', event: 'Rated', properties: { score: 'NaN', stage: 'use' }, messageId: 'm-2' },
        { type: 'track', userId: 'u-1', event: 'Long', properties: { tp: 't'.repeat(201), stage: 'use' }, messageId: 'm-3' },
        { type: 'track', userId: 'u-1', event: 'x'.repeat(300), properties: { stage: 'use' }, messageId: 'm-4' },
        { type: 'identify', userId: 'u-1', traits: { email: 'not an e-mail', name: 'Lan' }, messageId: 'm-5' },
      ],
      mapping,
    );
    expect(result.errors).toEqual([]);
    expect(result.commands.map((c) => `${c.eventId} ${JSON.stringify(c.data)}`)).toEqual([
      // the optional channel is left out, the answer kept
      'segment m:m-1 feedback.given {"kind":"csat","score":4,"scale":"1-5"}',
      'segment m:m-2 touchpoint.visited {"touchpoint":"Rated","channel":"segment","stage":"use"}',
      'segment m:m-3 touchpoint.visited {"touchpoint":"Long","channel":"segment","stage":"use"}',
      'segment m:m-5 customer.profiled {"name":"Lan"}',
    ]);
    expect(result.unmapped.map((u) => [u.message.messageId, u.items.map((i) => `${i.kind} ${i.name.slice(0, 20)}: ${i.reason}`)])).toEqual([
      ['m-1', [expect.stringMatching(/^track Rated: channel must be shorter .*: channel left out, the rest recorded$/)]],
      [
        'm-2',
        [
          expect.stringMatching(
            /^track Rated: the rule on line 2 cannot apply: the score property is missing or not a number; recorded as a raw touchpoint at use$/,
          ),
        ],
      ],
      ['m-3', [expect.stringMatching(/^track Long: touchpoint must be shorter .*: recorded as a raw touchpoint instead$/)]],
      ['m-4', [expect.stringMatching(/^track xxxxxxxxxxxxxxxxxxxx: touchpoint must be shorter .*: not recorded$/)]],
      ['m-5', [expect.stringMatching(/^identify name, email: email must be an e-mail address: email left out, the rest recorded$/)]],
    ]);
  });

  it('unmapped messages become records of their own stream: names, kinds, reasons and the messageId, never a value or the customer', () => {
    const { unmapped } = ingest([
      { type: 'track', userId: 'secret-user@example.vn', event: 'Clicked', properties: { card: '4111 1111 1111 1111' }, messageId: 'm-1' },
      { type: 'identify', userId: 'secret-user@example.vn', traits: { ssn: '123-45-6789' } },
    ]);
    expect(unmapped.map((u) => u.record)).toEqual([
      {
        eventId: 'segment m:m-1 unmapped',
        type: SEGMENT_UNMAPPED_TYPE,
        occurredAt: RECEIVED.toISOString(),
        data: { messageType: 'track', messageId: 'm-1', items: [{ kind: 'track', name: 'Clicked', reason: expect.any(String) }] },
      },
      {
        eventId: expect.stringMatching(/^segment h:\S+ unmapped$/),
        type: SEGMENT_UNMAPPED_TYPE,
        occurredAt: RECEIVED.toISOString(),
        data: { messageType: 'identify', messageId: null, items: [{ kind: 'identify', name: 'ssn', reason: expect.any(String) }] },
      },
    ]);
    const text = JSON.stringify(unmapped.map((u) => u.record));
    for (const secret of ['secret-user', '4111', '123-45']) expect(text).not.toContain(secret);
  });

  it('never throws, whatever the properties hold', () => {
    const mapping = parseSegmentMapping('track:\n  - { event: "*", stage: use, properties: [a, b, __proto__, constructor] }');
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    const values = [null, true, -0, 1e308, 'x'.repeat(7000), [1, [2, [3]]], { __proto__: { polluted: true } }, deep, '\ud800'];
    for (const value of values) {
      const raw = JSON.parse(
        JSON.stringify({ type: 'track', userId: 'u-1', event: 'e', properties: { a: value, b: value, constructor: value, stage: value } }),
      );
      const result = ingest([raw], mapping);
      expect(result.errors).toEqual([]);
      expect(result.commands.length + result.unmapped.length).toBeGreaterThan(0);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
