import { csvLine, spreadsheetSafe } from './csv-text';
import { detectDelimiter, firstLine } from './csv-delimiter';
import { sniffContent } from './file-sniff';

describe('CSV text', () => {
  it('quotes what must be quoted', () => {
    expect(csvLine(['a', 'b;c', 'say "hi"', 'two\nlines', ' edge', 3, true, null], ';')).toBe('a;"b;c";"say ""hi""";"two\nlines";" edge";3;true;\r\n');
  });

  it('makes formulas inert, text only', () => {
    expect(['=1+1', '+84 28', '-x', '@SUM(A1)', '\tx', '\rx', 'ok', -5].map(spreadsheetSafe)).toEqual([
      "'=1+1",
      "'+84 28",
      "'-x",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      'ok',
      -5,
    ]);
  });

  it('detects the separator from the header line', () => {
    expect(detectDelimiter(firstLine('\ufefftype;customerId;"a,b";occurredAt\r\nx'))).toBe(';');
    expect(detectDelimiter('type,customerId,occurredAt')).toBe(',');
    expect(detectDelimiter('type\tcustomerId')).toBe('\t');
    expect(detectDelimiter('type')).toBe(',');
  });
});

describe('what a file is, from its first bytes', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);
  it('tells workbooks, text and refused files apart', () => {
    expect(sniffContent(Buffer.from('type,customerId\n'), true)).toEqual({ kind: 'text' });
    expect(sniffContent(bytes(0x50, 0x4b, 0x03, 0x04, 1, 2), true)).toEqual({ kind: 'zip' });
    expect(sniffContent(bytes(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1), true)).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/\.xls/),
    });
    expect(sniffContent(bytes(0xff, 0xfe, 0x74, 0), true)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/UTF-16/) });
    expect(sniffContent(Buffer.from('Kh\xe1ch h\xe0ng;\xd0i\xeam\n', 'latin1'), true)).toMatchObject({
      kind: 'refused',
      reason: expect.stringMatching(/not UTF-8/),
    });
    const random = Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24);
    expect(sniffContent(random, false)).toMatchObject({ kind: 'refused', reason: expect.stringMatching(/binary/) });
  });

  it('does not mistake a multi-byte character cut at the end of the sample for bad text', () => {
    const text = Buffer.from('khách hàng');
    expect(sniffContent(text.subarray(0, 3), false)).toEqual({ kind: 'text' });
  });
});
