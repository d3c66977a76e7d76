import type { DayWindow } from '../cx-metrics/day-window';

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

function dayOf(number: number): string {
  return new Date(number * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday that starts the week of a local day (`2026-09-30` → `2026-09-28`): a week bucket's key. */
export function weekOf(day: string): string {
  const number = dayNumber(day);
  // 1970-01-01 was a Thursday: three days after a Monday
  return dayOf(number - ((((number + 3) % 7) + 7) % 7));
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
