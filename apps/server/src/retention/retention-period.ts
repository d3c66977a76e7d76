import type { JourneylineConfig } from '@journeyline/platform';
import { DateTime } from 'luxon';
import { badRequest } from '../http/problem';
import { windowFrom } from '../http/window-query';
import type { RetentionQueryDto } from './get-retention/get-retention.request.dto';

/** [from, to) of a retention question: a named period (month, quarter, year) or a window. */
export function retentionPeriod(query: RetentionQueryDto, config: JourneylineConfig): { from: Date; to: Date } {
  if (query.period) {
    if (query.from || query.to || query.window) throw badRequest('period', 'give either period or window / from / to, not both');
    const zone = query.tz ?? config.timeZone;
    const [year, part] = query.period.split('-');
    let start = DateTime.fromObject({ year: Number(year), month: 1, day: 1 }, { zone });
    let months = 12;
    if (part?.startsWith('Q')) {
      start = start.plus({ months: (Number(part.slice(1)) - 1) * 3 });
      months = 3;
    } else if (part) {
      start = start.set({ month: Number(part) });
      months = 1;
    }
    return { from: start.toJSDate(), to: start.plus({ months }).toJSDate() };
  }
  const window = windowFrom(query, config);
  return { from: new Date(window.from), to: new Date(window.to) };
}
