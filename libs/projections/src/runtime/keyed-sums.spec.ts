import { KEY_SEPARATOR, keyPart, KeyedSums } from './keyed-sums';

describe('keyed sums (one transaction of bucket deltas)', () => {
  it('keeps every key’s sums while its array grows many times, and gives them back as table rows in the order first met', () => {
    // given 5,000 keys of 3 numbers (the array starts with room for 1,024 keys), each met three times
    const sums = new KeyedSums(3);
    const keyOf = (i: number) => ['nps', `2026-11-${String((i % 28) + 1).padStart(2, '0')}`, `tp-${i}`].join(KEY_SEPARATOR);
    for (let round = 1; round <= 3; round++) {
      for (let i = 0; i < 5000; i++) {
        const at = sums.at(keyOf(i));
        sums.values[at] += 1;
        sums.values[at + 1] += i * round;
        if (i % 2 === 0) sums.values[at + 2] -= 1;
      }
    }
    // then
    expect(sums.size).toBe(5000);
    const rows = [...sums.tableRows()];
    expect(rows).toHaveLength(5000);
    expect(rows[4321]).toEqual(['nps', '2026-11-10', 'tp-4321', 3, 4321 * 6, 0]);
    expect(rows[4322]).toEqual(['nps', '2026-11-11', 'tp-4322', 3, 4322 * 6, -3]);
    expect(rows.every((row) => row.length === 6)).toBe(true);
  });

  it('adds to a key’s first number, and sums another set’s row into one of its own (the week of a day)', () => {
    const days = new KeyedSums(2);
    for (const day of ['2026-11-09', '2026-11-10', '2026-11-10']) {
      days.add(day, 2);
      days.values[days.at(day) + 1] += 1;
    }
    const weeks = new KeyedSums(2);
    for (const [key, at] of days.entries()) weeks.addFrom(`week of ${key.slice(0, 7)}`, days, at);
    expect([...days.tableRows()]).toEqual([
      ['2026-11-09', 2, 1],
      ['2026-11-10', 4, 2],
    ]);
    expect([...weeks.tableRows()]).toEqual([['week of 2026-11', 6, 3]]);
  });

  it('refuses a key part that holds the separator, naming it', () => {
    expect(keyPart('vip')).toBe('vip');
    expect(() => keyPart(`vip${KEY_SEPARATOR}x`)).toThrow('a key value holds a NUL character: "vip\\u0000x"');
  });
});
