import fc from 'fast-check';
import { generateJourneys } from '@journeyline/demo';
import { commandAsWireEvent } from '@journeyline/journey';
import { wireFieldNames } from '@journeyline/recording';
import { PROTOTYPE_NAMES } from '@journeyline/recording/testing/hostile-input';

/**
 * What an attacker or a buggy sender types: generated values aimed at the edges the wire format,
 * the query strings and the stores have (prototype names, lone surrogates, control characters,
 * huge strings and numbers, deep nesting, the ids Journeyline derives), mixed with ordinary
 * valid events so that mutations land next to accepted input.
 */
export { PROTOTYPE_NAMES };

const nasty = [
  '',
  ' ',
  '\t',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff',
  'x\ud83d',
  '\ud83d\ude00',
  '\u202e',
  '\u0007\u001b[31m',
  '\r\n',
  'x'.repeat(129),
  'x'.repeat(201),
  'x'.repeat(5001),
  'ü'.repeat(3000),
  '<img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  '"; DROP TABLE events; --',
  '../../etc/passwd',
  '%00',
  '%',
  '%zz',
  '\\',
  '/',
  '?',
  '#',
  '&',
  '=',
  ':',
  '*',
  'stage e-1',
  'e-1:stage',
  'churn-risk c-1 ticket-open-too-long o1',
  'churn-risk:c-1:ticket-open-too-long:o1',
  'kafka journey.events 0 1',
  '1e999',
  '-0',
  'NaN',
  'Infinity',
  'null',
  'true',
  '[]',
  '{}',
  '0x10',
  '1_000',
  '2026-02-30',
  '2026-13-01',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00Z',
  '-271821-04-20T00:00:00Z',
  '2026-11-20T25:00:00Z',
  '2026-W01-1',
  '2026-001',
  '2026-11-20T09:15:00+25:00',
  '2026-11-20',
  '2026-11',
  '2026-Q4',
  '2026',
  '30d',
  '0d',
  '-1d',
  '99999999d',
  '1.5d',
  'Asia/Ho_Chi_Minh',
  'UTC',
  'Mars/Olympus',
  'nps',
  'csat',
  'ces',
  'ttr',
  'touchpoint',
  'channel',
  'stage',
  'all',
  'awareness',
  'use',
  '-lastSeen',
  'customerId',
  'segment',
  'acquisitionChannel',
  'region',
  'yes-no',
  '0-10',
  ...PROTOTYPE_NAMES,
];

export const edgyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nasty) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 20_000 }).map((n) => 'y'.repeat(n)) },
);

export const edgyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1, 2, 5, 7, 9, 10, 11, 0.5, 3.14, -1e308, 1e308, 1e15, 1e16, Number.MAX_SAFE_INTEGER + 2, 5e-324, 2 ** 31, -(2 ** 31)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Nested `depth` levels of objects or arrays around a leaf. */
const deep = fc.tuple(fc.integer({ min: 5, max: 2000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { d: value };
  return value;
});

export const edgyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: edgyString },
  { weight: 3, arbitrary: edgyNumber },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  { weight: 1, arbitrary: fc.array(fc.oneof(edgyString, edgyNumber), { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES), fc.string({ maxLength: 6 })), fc.oneof(edgyString, edgyNumber), { maxKeys: 4 }),
  },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2000 }).map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))) },
);

/** Valid wire events of every type (a few demo journeys). */
export const VALID_EVENTS: readonly Record<string, unknown>[] = [...generateJourneys({ customers: 40, seed: 1205 })].flat().map(commandAsWireEvent);

const { envelope: ENVELOPE_KEYS, data: DATA_KEYS } = wireFieldNames();

type Mutation = { where: 'envelope' | 'data' | 'properties'; key: string; value: unknown; remove: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  where: fc.constantFrom('envelope', 'data', 'data', 'properties'),
  key: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ENVELOPE_KEYS, ...DATA_KEYS) },
    { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
    { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  ),
  value: edgyValue,
  remove: fc.boolean(),
});

function set(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, so that __proto__ becomes an own key as JSON.parse would make it
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * A wire event: a valid one with 0 to 3 mutations (a field set to an edgy value, removed, or a
 * new key at any level), a fresh eventId unless a mutation chose one (so a rejected event can be
 * looked for in the store afterwards), or any JSON value at all.
 */
export function wireEvent(unique: () => string): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 9,
      arbitrary: fc.tuple(fc.constantFrom(...VALID_EVENTS), fc.array(mutation, { maxLength: 3 })).map(([base, mutations]) => {
        const event: Record<string, unknown> = { ...base, eventId: unique(), data: { ...(base.data as object) } };
        for (const m of mutations) {
          const target =
            m.where === 'envelope'
              ? event
              : m.where === 'data'
                ? typeof event.data === 'object' && event.data !== null
                  ? (event.data as Record<string, unknown>)
                  : event
                : (() => {
                    const data = (typeof event.data === 'object' && event.data !== null ? event.data : event) as Record<string, unknown>;
                    if (typeof data.properties !== 'object' || data.properties === null) set(data, 'properties', {});
                    return data.properties as Record<string, unknown>;
                  })();
          if (m.remove) delete target[m.key];
          else set(target, m.key, m.value);
        }
        return event;
      }),
    },
    { weight: 1, arbitrary: fc.oneof(edgyValue, fc.anything({ maxDepth: 3 })) },
  );
}

/** A JSON body, sometimes with its text bent in ways JSON.stringify never writes. */
export function jsonText(value: unknown): fc.Arbitrary<string> {
  const text = safeStringify(value);
  return fc.oneof(
    { weight: 8, arbitrary: fc.constant(text) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"polluted":1}}',
        '{"constructor":{"prototype":{"x":1}}}',
        '1e999',
        '{',
        '',
        'null',
        '[]',
        '"x"',
        '\ufeff{}',
        '{"events":1e999}',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut)) },
  );
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '{"unserialisable":true}';
  }
}

/** Query strings: known parameter names and strangers, with edgy values, some repeated. */
export const queryString: fc.Arbitrary<string> = fc
  .array(
    fc.tuple(
      fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom(
            'metric',
            'by',
            'window',
            'from',
            'to',
            'tz',
            'limit',
            'cursor',
            'key',
            'minSample',
            'period',
            'split',
            'stage',
            'segment',
            'region',
            'acquisitionChannel',
            'touchpoint',
            'churnRisk',
            'churned',
            'since',
            'sort',
            'rule',
            'lang',
            'asOf',
            'q',
            'definitionsVersion',
            'rulesVersion',
            'scale',
            'channel',
          ),
        },
        { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES, '', '[]', 'a[b]', 'metric[]') },
        { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
      ),
      fc.oneof({ weight: 3, arbitrary: edgyString.filter((s) => s.length < 20_000) }, { weight: 1, arbitrary: edgyNumber.map(String) }),
      fc.boolean(),
    ),
    { maxLength: 6 },
  )
  .map((pairs) =>
    pairs
      .map(([k, v, raw]) => (raw ? `${k}=${v.replace(/[#\s]/g, '')}` : `${encodeURIComponent(safeComponent(k))}=${encodeURIComponent(safeComponent(v))}`))
      .join('&'),
  );

/** encodeURIComponent throws on a lone surrogate: send its UTF-8-less form as bytes the server must refuse. */
function safeComponent(text: string): string {
  return text.replace(/[\ud800-\udfff]/g, (ch, i, all) => {
    const code = ch.charCodeAt(0);
    const pair = code < 0xdc00 ? /[\udc00-\udfff]/.test(all[i + 1] ?? '') : /[\ud800-\udbff]/.test(all[i - 1] ?? '');
    return pair ? ch : '\ufffd';
  });
}

/** A path parameter: ordinary ids, edgy strings, and raw percent-escapes that decode to nothing valid. */
export const pathParam: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: edgyString.filter((s) => s.length > 0 && s.length < 5000).map((s) => encodeURIComponent(safeComponent(s))) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('%ED%A0%80', '%C0%AF', '%FF', '%E0%80', '%', '%2', '%2F..%2F', '..', '.', 'c-1', 'c-000001', 'hotline', 'web%3Apricing'),
  },
);
