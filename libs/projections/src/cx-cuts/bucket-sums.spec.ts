import { BucketSums, KEY_SEPARATOR, SCORE_AT, SUM, SUM_COLUMNS } from './bucket-sums';

describe('bucket sums (one transaction of metric cuts)', () => {
  it('keeps every bucket’s sums while its array grows many times, and gives them back as table rows in the order first met', () => {
    // given 5,000 buckets (the array starts with room for 1,024), each met three times
    const sums = new BucketSums();
    const keyOf = (i: number) => ['nps', '', '', `2026-11-${String((i % 28) + 1).padStart(2, '0')}`, `tp-${i}`, '', '', '0-10'].join(KEY_SEPARATOR);
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 5000; i++) {
        const at = sums.at(keyOf(i));
        sums.values[at + SUM.n] += 1;
        sums.values[at + SUM.sum] += i * round;
        sums.values[at + SCORE_AT + (i % 11)] += 1;
      }
    }
    // then
    expect(sums.size).toBe(5000);
    const rows = [...sums.tableRows()];
    expect(rows).toHaveLength(5000);
    const columns = ['metric', 'pfield', 'pvalue', 'day', 'touchpoint', 'channel', 'stage', 'scale', ...SUM_COLUMNS];
    const row4321 = Object.fromEntries(columns.map((c, k) => [c, rows[4321][k]]));
    expect(row4321).toMatchObject({ metric: 'nps', pfield: '', day: '2026-11-10', touchpoint: 'tp-4321', scale: '0-10', n: 3, sum: 4321 * 6, s9: 3, s0: 0 });
    expect(rows.every((row) => row.length === columns.length)).toBe(true);
  });

  it('sums another set’s bucket into one of its own (the week of a day)', () => {
    const days = new BucketSums();
    const weeks = new BucketSums();
    for (const day of ['2026-11-09', '2026-11-10']) {
      const at = days.at(day);
      days.values[at + SUM.n] += 2;
      days.values[at + SUM.opened] += 1;
    }
    for (const [key, at] of days.entries()) weeks.addFrom(`week of ${key.slice(0, 7)}`, days, at);
    expect([...weeks.tableRows()]).toEqual([['week of 2026-11', ...SUM_COLUMNS.map((c) => ({ n: 4, opened: 2 })[c] ?? 0)]]);
  });
});
