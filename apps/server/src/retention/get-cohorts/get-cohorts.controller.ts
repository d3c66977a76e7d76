import { Controller, Get, Query } from '@nestjs/common';
import { DateTime } from 'luxon';
import { retentionPeriod } from '../retention-period';
import { GetCohortsQuery } from './get-cohorts.query';
import { CohortsQueryDto } from './get-cohorts.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import { journeyFilterOf } from '../../http/cut-query';
import { asOfFrom } from '../../http/window-query';

/** GET /api/v1/retention/cohorts?from=&to=: monthly cohorts by first purchase (default: the last twelve months, up to `asOf` when given). */
@Controller('api/v1/retention')
@Requires('read')
export class GetCohortsController extends QueryController {
  @Get('cohorts')
  async cohorts(@Query() query: CohortsQueryDto) {
    const timeZone = query.tz ?? this.config.timeZone;
    const { from, to } =
      query.period || query.from || query.to || query.window ? retentionPeriod(query, this.config) : lastTwelveMonths(timeZone, asOfFrom(query, this.config));
    const filter = journeyFilterOf(query, this.config);
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const now = asOf ? new Date(asOf.asOf) : new Date();
      const cohorts = await this.queryBus.execute(new GetCohortsQuery(from, to, timeZone, now, filter, readModels));
      return { from: from.toISOString(), to: to.toISOString(), timeZone, ...(asOf ? { asOf } : {}), cohorts };
    });
  }
}

/** The twelve months up to `at`'s (the asOf moment's, else today's), in `timeZone`. */
function lastTwelveMonths(timeZone: string, at: Date | null): { from: Date; to: Date } {
  const now = (at ? DateTime.fromJSDate(at) : DateTime.now()).setZone(timeZone);
  return { from: now.startOf('month').minus({ months: 11 }).toJSDate(), to: now.startOf('month').plus({ months: 1 }).toJSDate() };
}
