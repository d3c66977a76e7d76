import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Query as CqrsQuery, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { IsOptional, IsString, Matches } from 'class-validator';
import { DateTime } from 'luxon';
import { queryCohorts, queryRetention, READ_MODEL_DATABASE, type CohortRow, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { badRequest, windowFrom } from '../http/query-window';
import { WindowQueryDto } from '../metrics/metrics.request.dto';

export class RetentionQueryDto extends WindowQueryDto {
  /** A month (2026-11), a quarter (2026-Q4) or a year (2026), in the request's time zone. */
  @IsOptional() @IsString() @Matches(/^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$/, { message: 'period must be a month (2026-11), a quarter (2026-Q4) or a year (2026)' })
  period?: string;
}

export class GetRetentionQuery extends CqrsQuery<Awaited<ReturnType<typeof queryRetention>>> {
  constructor(readonly from: Date, readonly to: Date) {
    super();
  }
}

export class GetCohortsQuery extends CqrsQuery<CohortRow[]> {
  constructor(readonly from: Date, readonly to: Date, readonly timeZone: string, readonly now: Date) {
    super();
  }
}

@QueryHandler(GetRetentionQuery)
export class GetRetentionHandler implements IQueryHandler<GetRetentionQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ from, to }: GetRetentionQuery) {
    return queryRetention(this.db.reader, from, to);
  }
}

@QueryHandler(GetCohortsQuery)
export class GetCohortsHandler implements IQueryHandler<GetCohortsQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ from, to, timeZone, now }: GetCohortsQuery) {
    return queryCohorts(this.db.reader, from, to, timeZone, now);
  }
}

/** Retention and churn for a period, and monthly cohort retention. */
@Controller('api/v1/retention')
export class RetentionController {
  constructor(private readonly queryBus: QueryBus, @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig) {}

  @Get()
  async retention(@Query() query: RetentionQueryDto) {
    const { from, to } = this.period(query);
    return this.queryBus.execute(new GetRetentionQuery(from, to));
  }

  @Get('cohorts')
  async cohorts(@Query() query: RetentionQueryDto) {
    const { from, to } = query.period || query.from || query.to || query.window ? this.period(query) : this.lastYear(query.tz);
    const cohorts = await this.queryBus.execute(new GetCohortsQuery(from, to, query.tz ?? this.config.timeZone, new Date()));
    return { from: from.toISOString(), to: to.toISOString(), timeZone: query.tz ?? this.config.timeZone, cohorts };
  }

  private period(query: RetentionQueryDto): { from: Date; to: Date } {
    if (query.period) {
      if (query.from || query.to || query.window) throw badRequest('period', 'give either period or window / from / to, not both');
      const zone = query.tz ?? this.config.timeZone;
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
    const window = windowFrom(query, this.config);
    return { from: new Date(window.from), to: new Date(window.to) };
  }

  private lastYear(tz?: string): { from: Date; to: Date } {
    const now = DateTime.now().setZone(tz ?? this.config.timeZone);
    return { from: now.startOf('month').minus({ months: 11 }).toJSDate(), to: now.startOf('month').plus({ months: 1 }).toJSDate() };
  }
}
