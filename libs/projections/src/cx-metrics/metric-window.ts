import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import type { DayWindow } from './day-window';

export type { DayWindow };

export class WindowError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'WindowError';
  }
}

export interface WindowRequest {
  window?: string;
  from?: string;
  to?: string;
  /** Zone of bare dates and of "today" for Nd windows. */
  timeZone: string;
  /** Zone of the day buckets. */
  bucketTimeZone: string;
  now: Date;
}

/**
 * Resolving a window in a time zone (luxon) costs more than summing the buckets of a short one, and
 * a dashboard asks the same windows again and again: the last resolutions are kept. A window that
 * counts back from today (`30d`, or no `to`) is keyed by the minute it is asked in as well (a day
 * in any zone in use today starts on a whole minute), an explicit one by its text alone.
 */
const resolved = new LRUCache<string, DayWindow, WindowRequest>({ max: 1000, memoMethod: (_key, _stale, { context }) => computeWindow(context) });
const previous = new LRUCache<string, DayWindow, { window: DayWindow; bucketTimeZone: string }>({
  max: 1000,
  memoMethod: (_key, _stale, { context }) => computePreviousWindow(context.window, context.bucketTimeZone),
});

export function resolveWindow(request: WindowRequest): DayWindow {
  const windowText = request.window?.trim();
  const countsFromToday = windowText ? /^\d+d$/.test(windowText) : !request.to;
  const key = [
    windowText,
    request.from,
    request.to,
    request.timeZone,
    request.bucketTimeZone,
    countsFromToday ? Math.floor(request.now.getTime() / 60_000) : '',
  ].join('\u0000');
  return { ...resolved.memo(key, { context: request }) };
}

function computeWindow(request: WindowRequest): DayWindow {
  const { timeZone, now } = request;
  let from: DateTime;
  let to: DateTime;
  const windowText = request.window?.trim();
  if (windowText && (request.from || request.to)) throw new WindowError('window', 'give either window or from/to, not both');
  if (windowText && /^\d+d$/.test(windowText)) {
    const days = Number(windowText.slice(0, -1));
    if (days < 1 || days > 3660) throw new WindowError('window', 'window must be 1d to 3660d');
    to = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').plus({ days: 1 });
    from = to.minus({ days });
  } else if (windowText && windowText.includes('..')) {
    const [a, b] = windowText.split('..');
    from = instant(a, timeZone, 'window');
    to = instant(b, timeZone, 'window');
  } else if (windowText) {
    throw new WindowError('window', 'window must be 7d, 30d, 90d (any Nd) or from..to, e.g. 2026-11-01..2026-12-01');
  } else if (request.from || request.to) {
    to = request.to ? instant(request.to, timeZone, 'to') : DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').plus({ days: 1 });
    from = request.from ? instant(request.from, timeZone, 'from') : to.minus({ days: 30 });
  } else {
    to = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day').plus({ days: 1 });
    from = to.minus({ days: 30 });
  }
  if (to <= from) throw new WindowError(request.window ? 'window' : 'to', 'the window ends before it starts: to must be after from');
  return toBuckets(from, to, request.bucketTimeZone, timeZone);
}

/** The window of equal length in days just before `window`. */
export function previousWindow(window: DayWindow, bucketTimeZone: string): DayWindow {
  const key = [window.fromDay, window.days, window.timeZone, bucketTimeZone].join('\u0000');
  return { ...previous.memo(key, { context: { window, bucketTimeZone } }) };
}

function computePreviousWindow(window: DayWindow, bucketTimeZone: string): DayWindow {
  // midnights of local days, parsed once per day and zone (instant): the days before are counted on the calendar
  const to = instant(window.fromDay, bucketTimeZone, 'from');
  const from = instant(new Date(Date.parse(`${window.fromDay}T00:00:00Z`) - window.days * 86_400_000).toISOString().slice(0, 10), bucketTimeZone, 'from');
  return toBuckets(from, to, bucketTimeZone, window.timeZone);
}

/** An instant's first day bucket and its UTC text: a few hundred distinct days come back again and again. */
const bucketsOfInstants = new LRUCache<string, { firstBucket: string; utc: string }, { at: DateTime; bucketTimeZone: string }>({
  max: 5000,
  memoMethod: (_key, _stale, { context: { at, bucketTimeZone } }) => {
    const local = at.setZone(bucketTimeZone);
    const start = local.startOf('day');
    return { firstBucket: (start < local ? start.plus({ days: 1 }) : start).toISODate()!, utc: at.toUTC().toISO()! };
  },
});

function bucketOf(at: DateTime, bucketTimeZone: string): { firstBucket: string; utc: string } {
  return bucketsOfInstants.memo(`${at.toMillis()}\u0000${bucketTimeZone}`, { context: { at, bucketTimeZone } });
}

function toBuckets(from: DateTime, to: DateTime, bucketTimeZone: string, timeZone: string): DayWindow {
  const first = bucketOf(from, bucketTimeZone);
  const end = bucketOf(to, bucketTimeZone);
  const days = Math.max(0, Math.round((Date.parse(`${end.firstBucket}T00:00:00Z`) - Date.parse(`${first.firstBucket}T00:00:00Z`)) / 86_400_000));
  return { fromDay: first.firstBucket, toDay: end.firstBucket, days, timeZone, from: first.utc, to: end.utc };
}

/** Parsed instants by text and zone (luxon's parse is the dearest step of a window). */
const instants = new LRUCache<string, DateTime, { text: string; zone: string }>({
  max: 5000,
  memoMethod: (_key, _stale, { context }) => DateTime.fromISO(context.text, { zone: context.zone }),
});

function instant(text: string, zone: string, field: string): DateTime {
  const trimmed = text.trim();
  const value = instants.memo(`${trimmed}\u0000${zone}`, { context: { text: trimmed, zone } });
  if (!value.isValid) throw new WindowError(field, `${field} must be a date (2026-11-20) or an ISO 8601 timestamp, got "${text}"`);
  return value;
}
