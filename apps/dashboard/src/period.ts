import { addDays, daysBetween, todayIn } from './format';

/**
 * The period every page looks at, as it appears in the URL (`window=30d` or
 * `window=2026-10-01..2026-11-01`), resolved the way the API resolves it: Nd ends at the end of
 * today in the time zone (of the "as known on" day when the page has one, as the API counts it
 * back from `asOf`); bare dates are midnight there; `to` is exclusive.
 */
export const WINDOW_PRESETS = ['7d', '30d', '90d', '180d', '365d'] as const;
export const DEFAULT_WINDOW = '30d';

export interface DateRange {
  from: string;
  to: string;
  days: number;
}

const DAY_RANGE = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/;

export function normalizeWindow(text: string | null): string {
  if (!text) return DEFAULT_WINDOW;
  const days = /^(\d{1,4})d$/.exec(text);
  if (days && Number(days[1]) >= 1 && Number(days[1]) <= 3660) return text;
  const range = DAY_RANGE.exec(text);
  if (range && !Number.isNaN(Date.parse(range[1])) && !Number.isNaN(Date.parse(range[2])) && range[1] < range[2]) return text;
  return DEFAULT_WINDOW;
}

/** `today`: the day an Nd window ends on (YYYY-MM-DD in `timeZone`; the "as known on" day, else today). */
export function rangeOf(window: string, timeZone: string, today = todayIn(timeZone)): DateRange {
  const range = DAY_RANGE.exec(window);
  if (range) return { from: range[1], to: range[2], days: daysBetween(range[1], range[2]) };
  const days = Number(window.slice(0, -1));
  const to = addDays(today, 1);
  return { from: addDays(to, -days), to, days };
}

/** The period of equal length just before `range`. */
export function previousRange(range: DateRange): DateRange {
  return { from: addDays(range.from, -range.days), to: range.from, days: range.days };
}

export function isCustomWindow(window: string): boolean {
  return DAY_RANGE.test(window);
}

// A day (midnight) or a day and a time of day, both in the page's time zone: the server reads either.
const AS_OF = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;

/** The URL's `asOf` when the page can read it (a day, or a day and a time of day in the page's zone); else null. */
export function readableAsOf(asked: string | null): string | null {
  return asked && AS_OF.test(asked) ? asked : null;
}
