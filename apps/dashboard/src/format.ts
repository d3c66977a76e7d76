import type { Lang } from './i18n';

/**
 * Numbers, money, dates and durations for the page's language and time zone, all through Intl:
 * Vietnamese writes 1.234,5 and 23/11/2026, English 1,234.5 and 23 Nov 2026.
 */
export interface Formats {
  lang: Lang;
  locale: string;
  timeZone: string;
  number(value: number | null | undefined, digits?: number): string;
  signed(value: number | null | undefined, digits?: number): string;
  percent(value: number | null | undefined, digits?: number): string;
  money(amount: number, currency?: string): string;
  date(iso: string | number | Date): string;
  dateTime(iso: string | number | Date): string;
  day(isoDay: string): string;
  shortDay(isoDay: string): string;
  relative(iso: string, now?: number): string;
  duration(ms: number): string;
  hours(hours: number | null | undefined): string;
  zoneName(): string;
}

const LOCALES: Record<Lang, string> = { vi: 'vi-VN', en: 'en-GB' };

const UNITS: Record<Lang, { d: string; h: string; m: string }> = {
  vi: { d: 'ngày', h: 'giờ', m: 'phút' },
  en: { d: 'd', h: 'h', m: 'min' },
};

export function formats(lang: Lang, timeZone: string): Formats {
  const locale = LOCALES[lang];
  const numberFormats = new Map<number, Intl.NumberFormat>();
  const num = (digits: number) => {
    let f = numberFormats.get(digits);
    if (!f) numberFormats.set(digits, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 })));
    return f;
  };
  const percentFormats = new Map<number, Intl.NumberFormat>();
  const percentFormat = (digits: number) => {
    let p = percentFormats.get(digits);
    if (!p) percentFormats.set(digits, (p = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: digits })));
    return p;
  };
  const dateFormat = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric' });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
  // Bucket days are calendar dates already: format them in UTC so no zone can shift them.
  const dayFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
  const shortDayFormat = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' });
  const relativeFormat = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const units = UNITS[lang];
  const f: Formats = {
    lang,
    locale,
    timeZone,
    number: (value, digits = 1) => (value === null || value === undefined || Number.isNaN(value) ? '—' : num(digits).format(value)),
    signed: (value, digits = 1) =>
      value === null || value === undefined ? '—' : `${value > 0 ? '+' : value < 0 ? '−' : '±'}${num(digits).format(Math.abs(value))}`,
    percent: (value, digits = 1) => (value === null || value === undefined ? '—' : percentFormat(digits).format(value / 100)),
    money: (amount, currency = 'VND') =>
      new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: currency === 'VND' ? 0 : 2 }).format(amount),
    date: (iso) => dateFormat.format(new Date(iso)),
    dateTime: (iso) => dateTimeFormat.format(new Date(iso)),
    day: (isoDay) => dayFormat.format(new Date(`${isoDay}T00:00:00Z`)),
    shortDay: (isoDay) => shortDayFormat.format(new Date(`${isoDay}T00:00:00Z`)),
    relative: (iso, now = Date.now()) => {
      const seconds = (Date.parse(iso) - now) / 1000;
      const abs = Math.abs(seconds);
      if (abs < 3600) return relativeFormat.format(Math.round(seconds / 60), 'minute');
      if (abs < 86400) return relativeFormat.format(Math.round(seconds / 3600), 'hour');
      if (abs < 86400 * 60) return relativeFormat.format(Math.round(seconds / 86400), 'day');
      return relativeFormat.format(Math.round(seconds / (86400 * 30.44)), 'month');
    },
    duration: (ms) => {
      const minutes = Math.round(ms / 60_000);
      if (minutes < 60) return `${num(0).format(minutes)} ${units.m}`;
      const hours = ms / 3_600_000;
      if (hours < 48) return `${num(1).format(hours)} ${units.h}`;
      const wholeHours = Math.round(hours);
      const days = Math.floor(wholeHours / 24);
      const rest = wholeHours - days * 24;
      return rest ? `${num(0).format(days)} ${units.d} ${rest} ${units.h}` : `${num(0).format(days)} ${units.d}`;
    },
    hours: (hours) => (hours === null || hours === undefined ? '—' : f.duration(hours * 3_600_000)),
    zoneName: () => {
      const part = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'shortOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
      return part ? `${timeZone} (${part.value})` : timeZone;
    },
  };
  return f;
}

/** Today's calendar date in a time zone, as YYYY-MM-DD. */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(isoDay: string, days: number): string {
  const d = new Date(`${isoDay}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(fromDay: string, toDay: string): number {
  return Math.round((Date.parse(`${toDay}T00:00:00Z`) - Date.parse(`${fromDay}T00:00:00Z`)) / 86_400_000);
}
