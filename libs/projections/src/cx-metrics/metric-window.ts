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

export function resolveWindow(request: WindowRequest): DayWindow {
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
  const to = DateTime.fromISO(window.fromDay, { zone: bucketTimeZone });
  const from = to.minus({ days: window.days });
  return toBuckets(from, to, bucketTimeZone, window.timeZone);
}

function toBuckets(from: DateTime, to: DateTime, bucketTimeZone: string, timeZone: string): DayWindow {
  const firstBucket = (at: DateTime) => {
    const local = at.setZone(bucketTimeZone);
    const start = local.startOf('day');
    return (start < local ? start.plus({ days: 1 }) : start).toISODate()!;
  };
  const fromDay = firstBucket(from);
  const toDay = firstBucket(to);
  const days = Math.max(0, Math.round(DateTime.fromISO(toDay).diff(DateTime.fromISO(fromDay), 'days').days));
  return { fromDay, toDay, days, timeZone, from: from.toUTC().toISO()!, to: to.toUTC().toISO()! };
}

function instant(text: string, zone: string, field: string): DateTime {
  const value = DateTime.fromISO(text.trim(), { zone });
  if (!value.isValid) throw new WindowError(field, `${field} must be a date (2026-11-20) or an ISO 8601 timestamp, got "${text}"`);
  return value;
}
