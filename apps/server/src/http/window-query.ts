import { IsOptional, IsString, MaxLength } from 'class-validator';
import { DateTime } from 'luxon';
import type { JourneylineConfig } from '@journeyline/platform';
import { resolveWindow, WindowError, type DayWindow } from '@journeyline/projections';
import { badRequest } from './problem';
import { IsTimeZone } from './time-zone.validator';

/**
 * The period of a read: `window=30d` or `window=2026-10-01..2026-11-01`, or `from`/`to`; `tz` for bare
 * dates. With `asOf`, a period counted back from today (`30d`, `from` alone, none) counts back from
 * that moment instead, as Journeyline counted it then.
 */
export class WindowQueryDto {
  @IsOptional() @IsString() @MaxLength(64) window?: string;
  @IsOptional() @IsString() @MaxLength(64) from?: string;
  @IsOptional() @IsString() @MaxLength(64) to?: string;
  @IsOptional() @IsString() @MaxLength(64) @IsTimeZone() tz?: string;
  /**
   * What Journeyline would have answered at this moment, from the events recorded by then: an ISO 8601
   * instant or a bare date (midnight in `tz` or JOURNEYLINE_TZ). A window counted back from today
   * (`window=30d`) then ends on that moment's day; one with dates stays as given.
   */
  @IsOptional() @IsString() @MaxLength(64) asOf?: string;
}

/**
 * `asOf` as an instant: a timestamp as given, a bare date (2026-11-01) as midnight in the
 * request's `tz` or JOURNEYLINE_TZ (the same reading as `from` and `to`); null when absent.
 */
export function asOfFrom(query: { asOf?: string; tz?: string }, config: Pick<JourneylineConfig, 'timeZone'>): Date | null {
  if (query.asOf === undefined) return null;
  const value = DateTime.fromISO(query.asOf.trim(), { zone: query.tz ?? config.timeZone });
  if (!value.isValid)
    throw badRequest('asOf', `asOf must be a date (2026-11-01: midnight in ${query.tz ?? config.timeZone}) or an ISO 8601 timestamp, got "${query.asOf}"`);
  return value.toJSDate();
}

/**
 * Reads window / from / to / tz from a query into day buckets, answering 400 with the field on error.
 * `now` (what `30d` counts back from) is the query's `asOf` when it has one: what Journeyline would
 * have answered at that moment is the last 30 days as they were then.
 */
export function windowFrom(query: WindowQueryDto, config: JourneylineConfig, now = asOfFrom(query, config) ?? new Date()): DayWindow {
  try {
    return resolveWindow({ window: query.window, from: query.from, to: query.to, timeZone: query.tz ?? config.timeZone, bucketTimeZone: config.timeZone, now });
  } catch (error) {
    if (error instanceof WindowError) throw badRequest(error.field, error.message);
    throw error;
  }
}
