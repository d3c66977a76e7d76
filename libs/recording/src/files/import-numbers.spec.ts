import { amountOf, decimalSeparatorFor, scoreOf } from './import-numbers';

describe('amounts as spreadsheets write them', () => {
  it('reads Vietnamese Excel: dots between thousands, a decimal comma', () => {
    const vi = decimalSeparatorFor(';');
    expect(amountOf('1.990.000', vi)).toBe(1_990_000);
    expect(amountOf('1990000,50', vi)).toBe(1_990_000.5);
    expect(amountOf('1.990.000,50', vi)).toBe(1_990_000.5);
    expect(amountOf('1.990', vi)).toBe(1990);
    expect(amountOf('1 990 000 ₫', vi)).toBe(1_990_000);
  });

  it('reads English Excel: commas between thousands, a decimal point', () => {
    const en = decimalSeparatorFor(',');
    expect(amountOf('1,990,000', en)).toBe(1_990_000);
    expect(amountOf('1,990', en)).toBe(1990);
    expect(amountOf('1990.5', en)).toBe(1990.5);
    expect(amountOf('1.990', en)).toBe(1.99);
  });

  it('refuses to guess where nothing says which separator is the decimal one', () => {
    expect(amountOf('1.990', 'unknown')).toBe('1.990');
    expect(amountOf('1.990.000', 'unknown')).toBe(1_990_000);
    expect(amountOf('250000', 'unknown')).toBe(250_000);
  });

  it('leaves what is no number as text, for the event check to refuse', () => {
    expect(amountOf('abc', ',')).toBe('abc');
    expect(amountOf('1e3', '.')).toBe('1e3');
  });

  it('reads scores as before: numbers and yes/no', () => {
    expect(scoreOf('9')).toBe(9);
    expect(scoreOf('yes')).toBe(true);
    expect(scoreOf('Không')).toBe(false);
    expect(scoreOf('nine')).toBe('nine');
  });
});
