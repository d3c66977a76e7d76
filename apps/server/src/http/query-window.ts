import { resolveWindow, WindowError, type DayWindow } from '@journeyline/projections';
import { IANAZone } from 'luxon';
import type { JourneylineConfig } from '../config/journeyline-config';
import { badRequest } from './problem';

/** Reads window / from / to / tz from a query into day buckets, answering 400 with the field on error. */
export function windowFrom(query: { window?: string; from?: string; to?: string; tz?: string }, config: JourneylineConfig, now = new Date()): DayWindow {
  const timeZone = query.tz ?? config.timeZone;
  if (query.tz && query.tz !== 'UTC' && !IANAZone.isValidZone(query.tz)) {
    throw badRequest('tz', `tz must be an IANA time zone such as Asia/Ho_Chi_Minh or UTC, got "${query.tz}"`);
  }
  try {
    return resolveWindow({ window: query.window, from: query.from, to: query.to, timeZone, bucketTimeZone: config.timeZone, now });
  } catch (error) {
    if (error instanceof WindowError) throw badRequest(error.field, error.message);
    throw error;
  }
}

export { badRequest } from './problem';
