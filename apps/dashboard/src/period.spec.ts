/// <reference types="jest" />
// The dashboard's tsconfig has no test types (it is built for the browser); jest's unit project runs this file.
import { todayIn } from './format';
import { rangeOf, readableAsOf } from './period';

describe('rangeOf: the days a page looks at, resolved as the API resolves them', () => {
  it('counts Nd back from the day it is given (the "as known on" day), that day included', () => {
    expect(rangeOf('30d', 'Asia/Ho_Chi_Minh', '2026-11-01')).toEqual({ from: '2026-10-03', to: '2026-11-02', days: 30 });
    // across a year's end and a leap day
    expect(rangeOf('7d', 'UTC', '2028-03-01')).toEqual({ from: '2028-02-24', to: '2028-03-02', days: 7 });
  });

  it("counts Nd back from today in the page's zone when given no day", () => {
    expect(rangeOf('7d', 'Asia/Ho_Chi_Minh')).toEqual(rangeOf('7d', 'Asia/Ho_Chi_Minh', todayIn('Asia/Ho_Chi_Minh')));
  });

  it('keeps a window with dates as given, whatever the day', () => {
    expect(rangeOf('2026-10-01..2026-11-01', 'UTC', '2030-01-01')).toEqual({ from: '2026-10-01', to: '2026-11-01', days: 31 });
  });
});

describe('readableAsOf', () => {
  it('reads a day, or a day and a time of day (to the minute or the second)', () => {
    for (const asOf of ['2026-11-01', '2026-11-01T14:30', '2026-11-01T14:30:05']) expect(readableAsOf(asOf)).toBe(asOf);
  });

  it('refuses anything else: a zone, markup, nothing', () => {
    for (const asOf of ['2026-11-01T14:30:05Z', '2026-11-01<b>', 'yesterday', '', null]) expect(readableAsOf(asOf)).toBeNull();
  });
});
