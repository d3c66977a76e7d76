import { DateTime } from 'luxon';
import { ImportFileError } from './import-error';

/**
 * `occurredAt` as spreadsheets write it, turned into ISO 8601 with the zone's offset before the
 * wire format's own check sees it (the wire format itself stays ISO 8601 only):
 *
 * - ISO 8601 (`2026-11-20T09:15:00+07:00`, `2026-11-20`): passed on as it is (a time without an
 *   offset is read in the zone by the wire parser);
 * - `dd/mm/yyyy`, `dd/mm/yyyy HH:mm[:ss]` (also with `.` or `-`; the day first, as Vietnamese and
 *   European spreadsheets write it) and `yyyy-mm-dd HH:mm[:ss]`: local time in the zone;
 * - a cell of an .xlsx workbook that holds a date: the date and time it shows, in the zone
 *   (spreadsheet dates have no zone of their own);
 * - with `dateFormat` (Luxon tokens, `dd/MM/yyyy HH:mm`), text is read with that format only.
 */
export interface DateReading {
  timeZone: string;
  dateFormat?: string;
}

export type DateResult = { ok: true; value: string } | { ok: false; reason: string };

const DAY_FIRST = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?)?$/;
const YEAR_FIRST_WITH_SPACE = /^(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?$/;
const ISO_LIKE = /^\d{4}-\d{2}-\d{2}($|T)/;

export function occurredAtOf(value: string | Date, reading: DateReading): DateResult {
  if (value instanceof Date) return fromWallClock(wallClockOfCell(value), reading.timeZone, value.toISOString());
  const text = value.trim();
  if (reading.dateFormat !== undefined) {
    const parsed = DateTime.fromFormat(text, reading.dateFormat, { zone: reading.timeZone });
    return parsed.isValid
      ? { ok: true, value: iso(parsed) }
      : { ok: false, reason: `occurredAt ${JSON.stringify(text.slice(0, 64))} does not match the date format ${reading.dateFormat}` };
  }
  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    const [, day, month, year, hour, minute, second, fraction] = dayFirst;
    return fromWallClock(parts(year, month, day, hour, minute, second, fraction), reading.timeZone, text);
  }
  const yearFirst = YEAR_FIRST_WITH_SPACE.exec(text);
  if (yearFirst) {
    const [, year, month, day, hour, minute, second, fraction] = yearFirst;
    return fromWallClock(parts(year, month, day, hour, minute, second, fraction), reading.timeZone, text);
  }
  if (ISO_LIKE.test(text)) return { ok: true, value: text };
  return {
    ok: false,
    reason: `occurredAt ${JSON.stringify(text.slice(0, 64))} is not a date this import reads: ISO 8601 (2026-11-20T09:15:00+07:00), dd/mm/yyyy [HH:mm[:ss]] or yyyy-mm-dd HH:mm[:ss]; or give the format (--date-format dd/MM/yyyy)`,
  };
}

/**
 * A Luxon format given by a person, checked once at start: it must read back a date it writes,
 * with a year, month and day in it, so a typo does not reject every row.
 */
export function dateFormatOption(format: string): string {
  const sample = DateTime.fromObject({ year: 2026, month: 11, day: 20, hour: 9, minute: 15, second: 30 }, { zone: 'UTC' });
  const written = sample.toFormat(format);
  const read = DateTime.fromFormat(written, format, { zone: 'UTC' });
  if (format.trim() === '' || format.length > 64 || !read.isValid || read.year !== 2026 || read.month !== 11 || read.day !== 20) {
    throw new ImportFileError(
      `the date format ${JSON.stringify(format.slice(0, 64))} does not read a day, month and year; use Luxon tokens such as dd/MM/yyyy or dd/MM/yyyy HH:mm`,
      'dateFormat',
    );
  }
  return format;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

function parts(year: string, month: string, day: string, hour?: string, minute?: string, second?: string, fraction?: string): WallClock {
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction ? Number(fraction.padEnd(3, '0')) : 0,
  };
}

/** A workbook's date cell: exceljs gives the shown date and time as if in UTC; to the second (serial day fractions round off). */
function wallClockOfCell(date: Date): WallClock {
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  return {
    year: rounded.getUTCFullYear(),
    month: rounded.getUTCMonth() + 1,
    day: rounded.getUTCDate(),
    hour: rounded.getUTCHours(),
    minute: rounded.getUTCMinutes(),
    second: rounded.getUTCSeconds(),
    millisecond: 0,
  };
}

function fromWallClock(clock: WallClock, timeZone: string, shown: string): DateResult {
  if (clock.hour === 24 && clock.minute === 0 && clock.second === 0)
    return { ok: false, reason: `occurredAt ${JSON.stringify(shown)}: write 24:00 as 00:00 of the next day` };
  const local = DateTime.fromObject(clock, { zone: timeZone });
  if (!local.isValid)
    return { ok: false, reason: `occurredAt ${JSON.stringify(shown.slice(0, 64))} is not a date: ${local.invalidExplanation ?? local.invalidReason}` };
  return { ok: true, value: iso(local) };
}

function iso(date: DateTime): string {
  return date.toISO({ suppressMilliseconds: true })!;
}
