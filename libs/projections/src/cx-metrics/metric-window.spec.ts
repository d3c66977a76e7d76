import fc from 'fast-check';
import { DateTime } from 'luxon';
import { previousWindow, resolveWindow } from './metric-window';

const ZONES = ['Asia/Ho_Chi_Minh', 'UTC', 'America/New_York', 'Europe/London', 'America/Santiago', 'Australia/Lord_Howe'];

/** The previous window as luxon's calendar arithmetic gives it (what the cached day-by-day path must equal). */
function previousByLuxon(window: ReturnType<typeof resolveWindow>, zone: string) {
  const to = DateTime.fromISO(window.fromDay, { zone });
  // the start of the local day: where midnight was skipped (America/Santiago, 2026-09-06 began at 01:00),
  // `to` is 01:00, and minus days alone would keep that wall time on a day that had its midnight
  const from = to.minus({ days: window.days }).startOf('day');
  return { from: from.toUTC().toISO(), to: to.toUTC().toISO() };
}

describe('metric windows', () => {
  it('a bare-date window is the local days from..to in the zone, with their midnights as instants', () => {
    const window = resolveWindow({ window: '2026-11-01..2026-12-01', timeZone: 'Asia/Ho_Chi_Minh', bucketTimeZone: 'Asia/Ho_Chi_Minh', now: new Date() });
    expect(window).toMatchObject({ fromDay: '2026-11-01', toDay: '2026-12-01', days: 30, from: '2026-10-31T17:00:00.000Z', to: '2026-11-30T17:00:00.000Z' });
  });

  it('the previous window is the same number of local days just before, in any zone (DST changes included), asked once or again', () => {
    const start = Date.parse('2025-01-01T00:00:00Z');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), fc.integer({ min: 1, max: 120 }), fc.constantFrom(...ZONES), (offset, length, zone) => {
        const day = (n: number) => new Date(start + n * 86_400_000).toISOString().slice(0, 10);
        const window = resolveWindow({ from: day(offset), to: day(offset + length), timeZone: zone, bucketTimeZone: zone, now: new Date() });
        for (let asked = 0; asked < 2; asked++) {
          const previous = previousWindow(window, zone);
          expect({ from: previous.from, to: previous.to }).toEqual(previousByLuxon(window, zone));
          expect(previous).toMatchObject({ toDay: window.fromDay, days: window.days, fromDay: day(offset - length) });
        }
      }),
    );
  });

  it('the day before a skipped midnight starts at its own midnight (America/Santiago, 2026-09-05: found by the property above)', () => {
    const zone = 'America/Santiago';
    const window = resolveWindow({ from: '2026-09-06', to: '2026-09-07', timeZone: zone, bucketTimeZone: zone, now: new Date() });
    expect(window.from).toBe('2026-09-06T04:00:00.000Z'); // 01:00 local: the clocks skipped 00:00
    expect(previousWindow(window, zone)).toMatchObject({ fromDay: '2026-09-05', from: '2026-09-05T04:00:00.000Z', to: '2026-09-06T04:00:00.000Z' });
    expect(previousByLuxon(window, zone)).toEqual({ from: '2026-09-05T04:00:00.000Z', to: '2026-09-06T04:00:00.000Z' });
  });

  it('a window counted back from today moves with the day', () => {
    const zone = 'Asia/Ho_Chi_Minh';
    const before = resolveWindow({ window: '7d', timeZone: zone, bucketTimeZone: zone, now: new Date('2026-12-05T16:59:00Z') });
    const after = resolveWindow({ window: '7d', timeZone: zone, bucketTimeZone: zone, now: new Date('2026-12-05T17:00:00Z') });
    expect([before.toDay, after.toDay]).toEqual(['2026-12-06', '2026-12-07']);
  });
});
