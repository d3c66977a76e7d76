import { dateFormatOption, occurredAtOf } from './import-dates';
import { ImportFileError } from './import-error';

const vn = { timeZone: 'Asia/Ho_Chi_Minh' };
const value = (text: string | Date, reading: { timeZone: string; dateFormat?: string } = vn) => {
  const result = occurredAtOf(text, reading);
  return result.ok ? result.value : `refused: ${result.reason}`;
};

describe('occurredAt as spreadsheets write it, read in the configured zone', () => {
  it('passes ISO 8601 on as it is', () => {
    expect(value('2026-11-20T09:15:00+07:00')).toBe('2026-11-20T09:15:00+07:00');
    expect(value('2026-11-20')).toBe('2026-11-20');
  });

  it('reads the day first: dd/mm/yyyy, with a time, with . or - between', () => {
    expect(value('20/11/2026')).toBe('2026-11-20T00:00:00+07:00');
    expect(value('20/11/2026 09:15')).toBe('2026-11-20T09:15:00+07:00');
    expect(value('5/1/2026 9:05:30')).toBe('2026-01-05T09:05:30+07:00');
    expect(value('20.11.2026 23:59')).toBe('2026-11-20T23:59:00+07:00');
  });

  it('reads yyyy-mm-dd HH:mm[:ss] as local time', () => {
    expect(value('2026-11-20 09:15')).toBe('2026-11-20T09:15:00+07:00');
    expect(value('2026-11-20 09:15:07', { timeZone: 'UTC' })).toBe('2026-11-20T09:15:07Z');
  });

  it('takes the date and time a workbook cell shows, in the zone', () => {
    expect(value(new Date(Date.UTC(2026, 10, 20, 9, 15)))).toBe('2026-11-20T09:15:00+07:00');
    expect(value(new Date(Date.UTC(2026, 10, 20, 9, 14, 59, 999)))).toBe('2026-11-20T09:15:00+07:00');
  });

  it('refuses days that do not exist and forms it does not know, saying which forms it reads', () => {
    expect(value('31/02/2026')).toMatch(/^refused: occurredAt "31\/02\/2026" is not a date/);
    expect(value('20 Nov 2026')).toMatch(/^refused: .*dd\/mm\/yyyy/);
  });

  it('with a date format, reads text with that format only', () => {
    const us = { ...vn, dateFormat: 'MM/dd/yyyy HH:mm' };
    expect(value('11/20/2026 09:15', us)).toBe('2026-11-20T09:15:00+07:00');
    expect(value('20/11/2026 09:15', us)).toMatch(/^refused: .*does not match the date format MM\/dd\/yyyy HH:mm/);
  });

  it('checks a date format once, at start', () => {
    expect(dateFormatOption('dd/MM/yyyy')).toBe('dd/MM/yyyy');
    expect(() => dateFormatOption('yyyy')).toThrow(ImportFileError);
    expect(() => dateFormatOption('')).toThrow(/Luxon tokens/);
  });
});
