import { Controller, Get, Inject, Query } from '@nestjs/common';
import { Query as CqrsQuery, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { IsIn, IsOptional } from 'class-validator';
import { FUNNEL_SPLITS, queryFunnel, READ_MODEL_DATABASE, type Funnel, type FunnelSplit, type ReadModelDatabase } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { windowFrom } from '../http/query-window';
import { WindowQueryDto } from '../metrics/metrics.request.dto';

export class FunnelQueryDto extends WindowQueryDto {
  @IsOptional() @IsIn(FUNNEL_SPLITS, { message: `split must be one of ${FUNNEL_SPLITS.join(', ')}` }) split?: FunnelSplit;
}

export class GetFunnelQuery extends CqrsQuery<Funnel[]> {
  constructor(readonly from: Date, readonly to: Date, readonly split?: FunnelSplit) {
    super();
  }
}

@QueryHandler(GetFunnelQuery)
export class GetFunnelHandler implements IQueryHandler<GetFunnelQuery> {
  constructor(@Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase) {}

  execute({ from, to, split }: GetFunnelQuery) {
    return queryFunnel(this.db.reader, from, to, split);
  }
}

/**
 * GET /api/v1/funnel: the customers whose first touchpoint is in the window, how many reached
 * each stage (or a later one), conversion stage to stage and median time between stages.
 */
@Controller('api/v1/funnel')
export class FunnelController {
  constructor(private readonly queryBus: QueryBus, @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig) {}

  @Get()
  async funnel(@Query() query: FunnelQueryDto) {
    const window = windowFrom(query, this.config);
    const groups = await this.queryBus.execute(new GetFunnelQuery(new Date(window.from), new Date(window.to), query.split));
    return { window: { from: window.from, to: window.to, timeZone: window.timeZone }, split: query.split ?? null, groups };
  }
}
