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
  const date = instant instanceof Date ? instant : new Date(instant);
  return formatter(timeZone).format(date);
}

/** 'YYYY-MM' of the local day. */
export function localMonth(instant: string | number | Date, timeZone: string): string {
  return localDay(instant, timeZone).slice(0, 7);
}
