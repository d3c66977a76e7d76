import fc from 'fast-check';
import { fieldErrorsOf, parseWireEvent } from './wire-event-parser';
import { PROTOTYPE_NAMES } from '@journeyline/recording/testing/hostile-input';
import { DEFAULT_WIRE_LIMITS, wireShapeErrors } from './wire-event-shape';
import { asJourneyEvent, decide, initialState } from '@journeyline/journey';

const context = { timeZone: 'Asia/Ho_Chi_Minh', now: new Date('2026-11-30T00:00:00Z') };
const visit = {
  eventId: 'v-1',
  type: 'touchpoint.visited',
  customerId: 'c-1',
  occurredAt: '2026-11-20T09:15:00+07:00',
  data: { touchpoint: 'web:pricing', channel: 'web', stage: 'evaluation' },
};
const refused = (raw: unknown) => {
  const parsed = parseWireEvent(raw, 0, context);
  expect(parsed.ok).toBe(false);
  return parsed.ok ? [] : parsed.errors;
};

describe('the wire shape, read by own properties only', () => {
  it.each(PROTOTYPE_NAMES)('refuses %s as a data field, naming it', (name) => {
    const event = JSON.parse(JSON.stringify(visit));
    Object.defineProperty(event.data, name, { value: 'x', enumerable: true, writable: true, configurable: true });
    expect(refused(event)).toEqual([expect.objectContaining({ field: `data.${name}`, reason: expect.stringContaining('unknown field') })]);
  });

  it.each(PROTOTYPE_NAMES)('refuses %s as an envelope field', (name) => {
    const event = JSON.parse(JSON.stringify(visit));
    Object.defineProperty(event, name, { value: 'x', enumerable: true, writable: true, configurable: true });
    expect(refused(event)).toEqual([expect.objectContaining({ field: name, reason: expect.stringContaining('unknown field') })]);
  });

  it.each(PROTOTYPE_NAMES)('refuses %s as a type with the allowed types, without looking it up', (name) => {
    const errors = refused({ ...visit, type: name });
    expect(errors).toEqual([expect.objectContaining({ field: 'type', reason: expect.stringContaining('type must be one of touchpoint.visited') })]);
  });

  it('refuses the constructor key that once skipped every rule, with the required fields still missing', () => {
    const errors = refused(JSON.parse('{"type":"touchpoint.visited","customerId":"poison","data":{"constructor":"x"}}'));
    expect(errors.map((e) => e.field)).toEqual(['data.constructor']);
  });

  it('names a missing field once, as required, with the rules its value must meet', () => {
    const errors = refused({ ...visit, data: { touchpoint: 'web:pricing', stage: 'evaluation' } });
    expect(errors).toEqual([
      { index: 0, eventId: 'v-1', field: 'data.channel', reason: expect.stringMatching(/^channel is required: channel must be a string/) },
    ]);
    expect(errors[0].reason).not.toContain('should not be empty');
    const empty = refused({ ...visit, data: { ...visit.data, channel: '' } });
    expect(empty).toEqual([{ index: 0, eventId: 'v-1', field: 'data.channel', reason: 'channel should not be empty' }]);
  });

  it('names an unknown field sent as null as unknown, not as required (the server reads its DTOs the same way)', () => {
    const refusal = { property: 'extra', value: null, constraints: { whitelistValidation: 'property extra should not exist' }, children: [] };
    expect(fieldErrorsOf([refusal], '', (field) => `unknown parameter ${field}`)).toEqual([{ field: 'extra', reason: 'unknown parameter extra' }]);
  });

  it('refuses __proto__ inside properties (JSON.parse makes it an own key)', () => {
    const errors = refused(
      JSON.parse(
        '{"type":"touchpoint.visited","customerId":"c","data":{"touchpoint":"t","channel":"web","stage":"use","properties":{"a":{"__proto__":{"polluted":true}}}}}',
      ),
    );
    expect(errors).toEqual([expect.objectContaining({ field: 'data.properties.a.__proto__' })]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts prototype names as keys of free-form properties (they are only data there)', () => {
    const parsed = parseWireEvent({ ...visit, data: { ...visit.data, properties: { constructor: 'x', toString: { valueOf: 1 } } } }, 0, context);
    expect(parsed.ok).toBe(true);
  });

  it.each([
    ['eventId', { ...visit, eventId: 'a\ud800b' }],
    ['customerId', { ...visit, customerId: '\udc00' }],
    ['data.touchpoint', { ...visit, data: { ...visit.data, touchpoint: 'web\ud83d' } }],
    ['data.properties.note', { ...visit, data: { ...visit.data, properties: { note: 'x\udfff' } } }],
  ])('refuses a lone UTF-16 surrogate in %s', (field, event) => {
    expect(refused(event)).toEqual([expect.objectContaining({ field, reason: expect.stringContaining('well-formed Unicode') })]);
  });

  it('keeps a well-formed astral character (an emoji is a surrogate pair)', () => {
    expect(parseWireEvent({ ...visit, customerId: 'khách-😀' }, 0, context).ok).toBe(true);
  });

  it.each([
    ['customerId', { ...visit, customerId: 'c\u0000' }],
    ['eventId', { ...visit, eventId: 'e\u0007' }],
    ['data.channel', { ...visit, data: { ...visit.data, channel: 'web\u001b[31m' } }],
  ])('refuses control characters in the id or name %s', (field, event) => {
    expect(refused(event)).toEqual([expect.objectContaining({ field, reason: expect.stringContaining('control characters') })]);
  });

  it('keeps line breaks and tabs in a comment, but not NUL', () => {
    const nps = { eventId: 'f-1', type: 'feedback.given', customerId: 'c-1', data: { kind: 'nps', score: 9, comment: 'Dòng 1\nDòng 2\tok' } };
    expect(parseWireEvent(nps, 0, context).ok).toBe(true);
    expect(refused({ ...nps, data: { ...nps.data, comment: 'a\u0000b' } })).toEqual([expect.objectContaining({ field: 'data.comment' })]);
  });

  it('refuses properties nested deeper than the limit, without recursion', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = { d: deep };
    const errors = refused({ ...visit, data: { ...visit.data, properties: deep } });
    expect(errors).toEqual([expect.objectContaining({ field: 'data.properties', reason: expect.stringContaining('deeper than 8 levels') })]);
    let arrays: unknown = [];
    for (let i = 0; i < 100_000; i++) arrays = [arrays];
    expect(refused({ ...visit, data: { ...visit.data, properties: { a: arrays } } })[0].reason).toContain('deeper than');
    let atLimit: unknown = 1;
    for (let i = 1; i < DEFAULT_WIRE_LIMITS.propertiesDepth; i++) atLimit = { d: atLimit };
    expect(parseWireEvent({ ...visit, data: { ...visit.data, properties: atLimit } }, 0, context).ok).toBe(true);
  });

  it('refuses properties with too many keys, too many list items, or too many bytes', () => {
    const many = Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`k${i}`, i]));
    expect(refused({ ...visit, data: { ...visit.data, properties: many } })[0].reason).toContain('more than 256 keys');
    expect(refused({ ...visit, data: { ...visit.data, properties: { list: new Array(300).fill(0) } } })[0].reason).toContain(
      'more than 256 keys and list items',
    );
    expect(refused({ ...visit, data: { ...visit.data, properties: { big: 'x'.repeat(20_000) } } })[0].reason).toMatch(/is \d+ bytes as JSON, more than 16384/);
    const limits = { ...DEFAULT_WIRE_LIMITS, propertiesBytes: 100_000 };
    expect(parseWireEvent({ ...visit, data: { ...visit.data, properties: { big: 'x'.repeat(20_000) } } }, 0, { ...context, limits }).ok).toBe(true);
  });

  it('refuses numbers JSON cannot carry (1e999 parses as Infinity)', () => {
    const event = JSON.parse('{"type":"touchpoint.visited","customerId":"c","data":{"touchpoint":"t","channel":"web","stage":"use","properties":{"n":1e999}}}');
    expect(refused(event)).toEqual([expect.objectContaining({ field: 'data.properties.n', reason: expect.stringContaining('finite number') })]);
  });

  it('lists at most ten unknown fields of one object, then how many more', () => {
    const event = { ...visit, ...Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x${i}`, 1])) };
    const errors = refused(event);
    expect(errors).toHaveLength(11);
    expect(errors[10].reason).toBe('and 490 more unknown fields');
  });

  it('cuts long unknown field names short in the answer', () => {
    const event = { ...visit, ['k'.repeat(10_000)]: 1 };
    expect(refused(event)[0].field.length).toBeLessThan(80);
  });

  it('answers every input, never throws (generated values of any shape)', () => {
    const anyEvent = fc.oneof(
      fc.anything({
        withObjectString: true,
        withNullPrototype: true,
        withBigInt: true,
        withDate: true,
        withMap: true,
        withTypedArray: true,
        withSparseArray: true,
      }),
      fc.record({ type: fc.constantFrom('touchpoint.visited', 'feedback.given', 'toString', '__proto__'), customerId: fc.string(), data: fc.anything() }),
      fc.dictionary(fc.constantFrom(...PROTOTYPE_NAMES, 'eventId', 'type', 'data'), fc.anything()),
    );
    fc.assert(
      fc.property(anyEvent, (raw) => {
        const parsed = parseWireEvent(raw, 0, context);
        if (parsed.ok) expect(typeof parsed.command.customerId).toBe('string');
        else for (const error of parsed.errors) expect(typeof error.reason).toBe('string');
      }),
      { numRuns: 10_000, seed: 20261205 },
    );
  });

  it('leaves out an optional field sent as null, so what is stored can be read back (once parked a projection)', () => {
    const answer = {
      type: 'feedback.given',
      customerId: 'c-1',
      data: { kind: 'csat', score: 4, scale: '1-5', channel: null, touchpoint: null, comment: null },
    };
    const parsed = parseWireEvent(answer, 0, context);
    expect(parsed.ok && parsed.command.data).toEqual({ kind: 'csat', score: 4, scale: '1-5' });
  });

  it('every event it accepts is stored in a shape the stored-event reader reads (generated optional fields, nulls included)', () => {
    const optional = fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ minLength: 1, maxLength: 8 }), fc.integer());
    const fields = (required: Record<string, unknown>, names: string[]) =>
      fc.record(Object.fromEntries(names.map((n) => [n, optional]))).map((extra) => ({ ...extra, ...required }));
    const event = fc
      .oneof(
        fields({ touchpoint: 't', channel: 'web', stage: 'use' }, ['properties']).map((data) => ({ type: 'touchpoint.visited', data })),
        fields({ kind: 'csat', score: 4, scale: '1-5' }, ['touchpoint', 'channel', 'stage', 'comment']).map((data) => ({ type: 'feedback.given', data })),
        fields({ ticketId: 'k-1' }, ['touchpoint', 'channel', 'subject']).map((data) => ({ type: 'ticket.opened', data })),
        fields({ amount: 10, orderId: 'o-1' }, ['currency']).map((data) => ({ type: 'purchase.made', data })),
        fields({}, ['segment', 'region', 'ageBand', 'gender', 'acquisitionChannel', 'name', 'email', 'phone']).map((data) => ({
          type: 'customer.profiled',
          data,
        })),
      )
      .map((e) => ({ ...e, customerId: 'c-1' }));
    let accepted = 0;
    fc.assert(
      fc.property(event, (raw) => {
        const parsed = parseWireEvent(raw, 0, context);
        if (!parsed.ok) return;
        accepted += 1;
        for (const decided of decide(parsed.command, initialState())) {
          const read = asJourneyEvent({ ...decided, data: { ...decided.data }, revision: 0 });
          expect(read.ok ? 'readable' : read.reason).toBe('readable');
        }
      }),
      { numRuns: 3_000, seed: 20261205 },
    );
    expect(accepted).toBeGreaterThan(300);
  });

  it('shape errors name fields only the sender could have written', () => {
    expect(wireShapeErrors([])).toEqual([{ field: '', reason: 'each event must be a JSON object' }]);
    expect(wireShapeErrors(Object.create({ inherited: 1 }))).toEqual([{ field: '', reason: 'each event must be a JSON object' }]);
  });
});
