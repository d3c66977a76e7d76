import fc from 'fast-check';
import { commandAsWireEvent } from '@journeyline/journey';
import { generateJourneys } from '@journeyline/demo/journey-generator';
import { isISO8601 } from 'class-validator';
import { certainlyValidWireEvent, plainTimestamp } from './wire-event-fast-check';
import { parseWireEvent, validateWireEvent } from './wire-event-parser';
import { wireFieldNames } from './wire-event-shape';

const context = { timeZone: 'Asia/Ho_Chi_Minh', now: new Date('2026-11-30T00:00:00Z') };

/** Values that sit on or just past the DTO rules' edges. */
const edgy = fc.oneof(
  fc.constantFrom(
    null,
    '',
    ' ',
    'a b',
    'x'.repeat(128),
    'x'.repeat(129),
    'x'.repeat(200),
    'x'.repeat(201),
    '😀'.repeat(100),
    '😀'.repeat(101),
    0,
    -1,
    10,
    3.5,
    Number.MAX_VALUE,
    true,
    false,
    [],
    {},
    { a: 1 },
    [1],
    'awareness',
    'use',
    'Use',
    'nps',
    'csat',
    'ces',
    'NPS',
    '0-10',
    '1-5',
    '1-7',
    'yes-no',
    '0-5',
    'VND',
    'USD',
    'vnd',
    'XXX',
    'ann@example.com',
    'ann@',
    '+84 28 3822 1234',
    '12345',
    'phone!',
    '2026-11-20T09:15:00+07:00',
    '2026-11-20T09:15:00',
    '2026-11-20',
    '2026-02-30T00:00:00Z',
    '2026-11-20T09:15:00+25:00',
    '2026-11-20T09:15:00.123456789Z',
    'yesterday',
  ),
  fc.string({ maxLength: 8 }),
  fc.integer(),
  fc.double(),
);

const FIELDS = [...wireFieldNames().data, 'unknownField'];

/** A valid generated event with some fields replaced, removed or added (its own fields most often). */
const mutated = fc.constantFrom(...sampleEvents()).chain((base) => {
  const own = Object.keys(base.data as object);
  const dataKey =
    own.length > 0
      ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...own) }, { weight: 1, arbitrary: fc.constantFrom(...FIELDS) })
      : fc.constantFrom(...FIELDS);
  return fc
    .record({
      envelope: fc.array(fc.tuple(fc.constantFrom('eventId', 'type', 'customerId', 'occurredAt', 'data', 'extra'), fc.option(edgy, { nil: undefined })), {
        maxLength: 1,
      }),
      data: fc.array(fc.tuple(dataKey, fc.option(edgy, { nil: undefined })), { maxLength: 2 }),
    })
    .map(({ envelope, data }) => {
      const event: Record<string, unknown> = { ...base, data: { ...(base.data as object) } };
      for (const [key, value] of data) set(event.data as Record<string, unknown>, key, value);
      for (const [key, value] of envelope) set(event, key, value);
      return event;
    });
});

describe('the fast wire-event check', () => {
  it('never accepts what class-validator refuses, and takes the same data from what it accepts', () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutated, (event) => {
        if (!certainlyValidWireEvent(event)) return;
        accepted++;
        const { errors, data } = validateWireEvent(event, 0);
        expect(errors).toEqual([]);
        // The fast path passes the event's own data on (the rest of parsing is shared).
        expect(data).toEqual(event.data ?? {});
      }),
      { numRuns: 10_000, seed: 20261130 },
    );
    // Mutations often leave an event valid: the property must have been tried on many of them.
    expect(accepted).toBeGreaterThan(500);
  });

  it("takes a timestamp only when class-validator's strict ISO 8601 check does, and takes the usual ones", () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const timestamp = fc
      .record({
        year: fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
        month: two(13),
        day: two(32),
        hour: two(25),
        minute: two(61),
        second: fc.option(two(61)),
        fraction: fc.option(fc.stringMatching(/^\d{1,10}$/)),
        offset: fc.oneof(
          fc.constantFrom('Z', 'z', '', '+07:00', '-00:00', '+0700'),
          fc.tuple(fc.constantFrom('+', '-'), two(25), two(61)).map(([s, h, m]) => `${s}${h}:${m}`),
        ),
        separator: fc.constantFrom('T', 'T', 'T', ' ', 't'),
      })
      .map(
        ({ year, month, day, hour, minute, second, fraction, offset, separator }) =>
          `${year}-${month}-${day}${separator}${hour}:${minute}${second === null ? '' : `:${second}${fraction === null ? '' : `.${fraction}`}`}${offset}`,
      );
    let taken = 0;
    fc.assert(
      fc.property(timestamp, (value) => {
        if (!plainTimestamp(value)) return;
        taken++;
        expect(isISO8601(value, { strict: true })).toBe(true);
      }),
      { numRuns: 20_000, seed: 11 },
    );
    expect(taken).toBeGreaterThan(1000);
    for (const usual of ['2026-11-20T09:15:00+07:00', '2024-02-29T23:30:00.123Z', '2026-11-20T09:15Z', '2026-11-20T09:15:00.123456789-03:30']) {
      expect(plainTimestamp(usual)).toBe(true);
    }
    for (const unusual of [
      '2026-02-29T10:00:00Z',
      '2026-11-31T10:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20T09:15:00',
      '2026-W47-5T10:00Z',
      '0999-01-01T00:00Z',
    ]) {
      expect(plainTimestamp(unusual)).toBe(false);
    }
  });

  it('accepts every event of generated journeys, so the hot paths skip class-validator', () => {
    const events = sampleEvents();
    expect(events.length).toBeGreaterThan(500);
    const refused = events.filter((event) => !certainlyValidWireEvent(event));
    expect(refused).toEqual([]);
  });

  it('leaves nulls, unknown fields and limits to class-validator, which words the error', () => {
    const visit = { type: 'touchpoint.visited', customerId: 'c-1', data: { touchpoint: 'web', channel: 'web', stage: 'use' } };
    expect(certainlyValidWireEvent(visit)).toBe(true);
    expect(certainlyValidWireEvent({ ...visit, eventId: null })).toBe(false);
    expect(certainlyValidWireEvent({ ...visit, data: { ...visit.data, properties: null } })).toBe(false);
    expect(certainlyValidWireEvent({ ...visit, extra: 1 })).toBe(false);
    expect(certainlyValidWireEvent({ ...visit, customerId: 'x'.repeat(201) })).toBe(false);
    const nps = { type: 'feedback.given', customerId: 'c-1', data: { kind: 'nps', score: 9 } };
    expect(certainlyValidWireEvent(nps)).toBe(true);
    expect(certainlyValidWireEvent({ ...nps, data: { kind: 'csat', score: 4 } })).toBe(false); // csat needs its scale
    const parsed = parseWireEvent({ ...nps, data: { kind: 'csat', score: 4 } }, 3, context);
    expect(parsed).toEqual({ ok: false, errors: [expect.objectContaining({ index: 3, field: 'data.scale' })] });
  });

  it('refuses an empty customer profile on both paths with the same words', () => {
    const profile = { type: 'customer.profiled', customerId: 'c-1', data: {} };
    expect(certainlyValidWireEvent(profile)).toBe(true);
    expect(parseWireEvent(profile, 0, context)).toEqual({
      ok: false,
      errors: [{ index: 0, field: 'data', reason: expect.stringContaining('customer.profiled needs at least one of') }],
    });
  });
});

function sampleEvents(): Record<string, unknown>[] {
  const journeys = generateJourneys({ customers: 80, seed: 5, start: new Date(Date.UTC(2025, 0, 1)), spanDays: 200, idPrefix: 'c-' });
  return [...journeys].flat().map(commandAsWireEvent);
}

function set(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value === undefined) delete target[key];
  else target[key] = value;
}
