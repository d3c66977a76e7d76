import { fieldWords, foldText, phoneDigits, queryTokens, valueTokens } from './search-tokens';

const KEY = Buffer.alloc(32, 7);

describe('customer search tokens', () => {
  it('folds Vietnamese accents, đ and case', () => {
    expect(foldText('Nguyễn Văn Đặng')).toBe('nguyen van dang');
    expect(fieldWords('name', 'Trần Thị Nguyên')).toEqual(['tran', 'thi', 'nguyen']);
  });

  it('reads phones as national digits', () => {
    expect(phoneDigits('+84 912 345 678')).toBe('0912345678');
    expect(phoneDigits('0084912345678')).toBe('0912345678');
    expect(phoneDigits('0912-345-678')).toBe('0912345678');
  });

  it('finds a value by every prefix of 2+ characters of each word, and by nothing else', () => {
    const tokens = new Set(valueTokens(KEY, 'name', 'Nguyễn Văn A'));
    const found = (q: string) => queryTokens(KEY, q).every((alternatives) => alternatives.some((t) => tokens.has(t)));
    expect(['nguyen', 'NGUY', 'ng', 'van', 'nguyen van'].map(found)).toEqual([true, true, true, true, true]);
    expect(['nguyenx', 'tran', 'van tran'].map(found)).toEqual([false, false, false]);
    expect([...tokens].join()).not.toMatch(/nguy/);
  });
});
