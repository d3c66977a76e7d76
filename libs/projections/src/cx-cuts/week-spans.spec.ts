import fc from 'fast-check';
import { spansOf, weekOf } from './week-spans';

const DAY_MS = 86_400_000;
const dayOf = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let n = Date.parse(`${from}T00:00:00Z`) / DAY_MS; dayOf(n) < to; n++) out.push(dayOf(n));
  return out;
};

describe('week spans', () => {
  it('names a week by its Monday', () => {
    expect(weekOf('2026-09-28')).toBe('2026-09-28'); // a Monday
    expect(weekOf('2026-09-30')).toBe('2026-09-28');
    expect(weekOf('2026-10-04')).toBe('2026-09-28'); // the Sunday after
    expect(weekOf('2027-01-01')).toBe('2026-12-28'); // across a year
    expect(weekOf('1969-12-31')).toBe('1969-12-29'); // before the epoch
  });

  it('a window shorter than a whole week reads its days', () => {
    expect(spansOf({ fromDay: '2026-09-30', toDay: '2026-10-06' })).toEqual([{ table: 'day', fromDay: '2026-09-30', toDay: '2026-10-06' }]);
  });

  it('a 90-day window reads its whole weeks from the week buckets and the days around them', () => {
    expect(spansOf({ fromDay: '2026-07-02', toDay: '2026-09-30' })).toEqual([
      { table: 'day', fromDay: '2026-07-02', toDay: '2026-07-06' },
      { table: 'week', fromDay: '2026-07-06', toDay: '2026-09-28' },
      { table: 'day', fromDay: '2026-09-28', toDay: '2026-09-30' },
    ]);
  });

  it('covers every day of any window exactly once', () => {
    const start = Date.parse('2025-01-01T00:00:00Z') / DAY_MS;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 1, max: 200 }), (offset, length) => {
        const window = { fromDay: dayOf(start + offset), toDay: dayOf(start + offset + length) };
        const covered = spansOf(window).flatMap((span) =>
          span.table === 'day'
            ? days(span.fromDay, span.toDay)
            : days(span.fromDay, span.toDay)
                .filter((day) => weekOf(day) === day)
                .flatMap((monday) => days(monday, dayOf(Date.parse(`${monday}T00:00:00Z`) / DAY_MS + 7))),
        );
        expect(covered).toEqual(days(window.fromDay, window.toDay));
      }),
    );
  });
});
