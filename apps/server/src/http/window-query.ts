import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { JourneylineConfig } from '@journeyline/platform';
import { resolveWindow, WindowError, type DayWindow } from '@journeyline/projections';
import { badRequest } from './problem';
import { IsTimeZone } from './time-zone.validator';

/** The period of a read: `window=30d` or `window=2026-10-01..2026-11-01`, or `from`/`to`; `tz` for bare dates. */
export class WindowQueryDto {
  @IsOptional() @IsString() @MaxLength(64) window?: string;
  @IsOptional() @IsString() @MaxLength(64) from?: string;
  @IsOptional() @IsString() @MaxLength(64) to?: string;
  @IsOptional() @IsString() @MaxLength(64) @IsTimeZone() tz?: string;
}

/** Reads window / from / to / tz from a query into day buckets, answering 400 with the field on error. */
export function windowFrom(query: WindowQueryDto, config: JourneylineConfig, now = new Date()): DayWindow {
  try {
    return resolveWindow({ window: query.window, from: query.from, to: query.to, timeZone: query.tz ?? config.timeZone, bucketTimeZone: config.timeZone, now });
  } catch (error) {
    if (error instanceof WindowError) throw badRequest(error.field, error.message);
    throw error;
  }
}
