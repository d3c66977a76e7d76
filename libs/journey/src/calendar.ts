/**
 * Calendar days in a time zone, with the platform's Intl data (no I/O). A day bucket is the
 * local date 'YYYY-MM-DD' of an instant: 23:30 in Ho Chi Minh City is that day, not the next.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(timeZone, format);
  }
  return format;
}

export function localDay(instant: string | number | Date, timeZone: string): string {
  const ms = instant instanceof Date ? instant.getTime() : typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) return formatter(timeZone).format(new Date(ms)); // throws the platform's RangeError
  // Every zone's offset, and every change of it, falls on a quarter hour: all instants of one
  // quarter hour share a local day, so it is formatted once (Intl formatting costs microseconds,
  // and a rebuild asks for a million days).
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  let days = quarterDays.get(timeZone);
  if (!days) quarterDays.set(timeZone, (days = new Map()));
  let day = days.get(quarter);
  if (day === undefined) {
    if (days.size >= 100_000) days.clear();
    day = formatter(timeZone).format(new Date(quarter * QUARTER_HOUR_MS));
    days.set(quarter, day);
  }
  return day;
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;
const quarterDays = new Map<string, Map<number, string>>();

/** 'YYYY-MM' of the local day. */
export function localMonth(instant: string | number | Date, timeZone: string): string {
  return localDay(instant, timeZone).slice(0, 7);
}
