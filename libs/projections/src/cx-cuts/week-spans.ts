import type { DayWindow } from '../cx-metrics/day-window';

const DAY_MS = 86_400_000;

const dayNumbers = new Map<string, number>();

/** `2026-11-30` → its number of days since 1970-01-01 (memoized: a rebuild asks for the same few hundred days a million times). */
export function dayNumber(day: string): number {
  let number = dayNumbers.get(day);
  if (number === undefined) {
    if (dayNumbers.size >= 100_000) dayNumbers.clear();
    dayNumbers.set(day, (number = Date.parse(`${day}T00:00:00Z`) / DAY_MS));
  }
  return number;
}

/** A day number (dayNumber) as its date, `2026-11-30`. */
export function dayOf(number: number): string {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

/** The day number of the Monday that starts a day number's week. */
export function mondayOf(number: number): number {
  // 1970-01-01 was a Thursday: three days after a Monday
  return number - ((((number + 3) % 7) + 7) % 7);
}

/** The Monday that starts the week of a local day (`2026-09-30` → `2026-09-28`): a week bucket's key. */
export function weekOf(day: string): string {
  return dayOf(mondayOf(dayNumber(day)));
}

/** A run of a window's days read from one bucket table: `week` rows hold whole weeks, keyed by their Monday. */
export interface BucketSpan {
  table: 'day' | 'week';
  fromDay: string;
  toDay: string;
}

/**
 * A window's days as the fewest bucket rows cover them: the whole weeks inside it from the week
 * buckets, the days before the first whole week and after the last from the day buckets. A
 * 90-day window reads 12 week rows and at most 12 day rows per group instead of 90 day rows.
 */
export function spansOf(window: Pick<DayWindow, 'fromDay' | 'toDay'>): BucketSpan[] {
  const { fromDay, toDay } = window;
  const firstMonday = weekOf(fromDay) === fromDay ? fromDay : dayOf(dayNumber(weekOf(fromDay)) + 7);
  const lastMonday = weekOf(toDay);
  if (firstMonday >= lastMonday) return [{ table: 'day', fromDay, toDay }];
  const spans: BucketSpan[] = [];
  if (fromDay < firstMonday) spans.push({ table: 'day', fromDay, toDay: firstMonday });
  spans.push({ table: 'week', fromDay: firstMonday, toDay: lastMonday });
  if (lastMonday < toDay) spans.push({ table: 'day', fromDay: lastMonday, toDay });
  return spans;
}
