import { columnFields, columnsOfJson, columnsOption, combinedColumns, importColumns } from './column-mapping';

describe('column mappings', () => {
  it('maps named columns to fields, leaves out columns mapped to nothing, keeps the rest by name (letter case aside)', () => {
    const mapping = columnsOption('Mã KH=customerId, Ngày=occurredAt,Điểm=score,Ghi chú nội bộ=');
    expect(columnFields(['Mã KH', 'Ngày', 'Điểm', 'Ghi chú nội bộ', 'Type', 'colour'], mapping)).toEqual([
      'customerId',
      'occurredAt',
      'score',
      null,
      'type',
      'colour',
    ]);
  });

  it('refuses unknown fields at once, listing the valid ones', () => {
    expect(() => columnsOption('Mã KH=customer')).toThrow(
      /unknown field\(s\) in the column mapping: customer; the fields are eventId, type, customerId, occurredAt, /,
    );
    expect(() => columnsOption('Mã KH')).toThrow(/has no "="/);
    expect(() => columnsOfJson(['customerId'])).toThrow(/one JSON object/);
    expect(() => columnsOfJson({ 'Mã KH': 3 })).toThrow(/give a field name/);
  });

  it('refuses a mapping naming a column the file lacks, and two columns holding one field', () => {
    expect(() => columnFields(['a', 'b'], columnsOption('Mã KH=customerId'))).toThrow(/column\(s\) the file does not have: Mã KH; its columns are a, b/);
    expect(() => columnFields(['customerId', 'Mã KH'], columnsOption('Mã KH=customerId'))).toThrow(/both hold customerId/);
  });

  it('combines a mapping file with --columns, the option winning', () => {
    const combined = combinedColumns(columnsOfJson({ A: 'customerId', B: 'score' }), columnsOption('B=comment'));
    expect([...combined!]).toEqual([
      ['A', 'customerId'],
      ['B', 'comment'],
    ]);
  });

  it('knows every wire field', () => {
    expect(importColumns()).toEqual(expect.arrayContaining(['eventId', 'type', 'customerId', 'occurredAt', 'touchpoint', 'amount', 'email', 'properties']));
    expect(importColumns()).not.toContain('data');
  });
});
