import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { rankingBound } from '@journeyline/journey';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { windowFrom } from '../../http/window-query';
import { GetWorstQuery } from './get-worst-touchpoints.query';
import { WorstQueryDto } from './get-worst-touchpoints.request.dto';

/** GET /api/v1/touchpoints/worst?metric=&window=&by=&limit=: rows worst first, each with its trend. */
@Controller('api/v1/touchpoints')
export class GetWorstTouchpointsController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get('worst')
  async worst(@Query() query: WorstQueryDto) {
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'touchpoint';
    const minSample = query.minSample ?? this.config.minSample;
    const rows = await this.queryBus.execute(new GetWorstQuery(query.metric, by, window, minSample, query.limit ?? 20));
    return { metric: query.metric, by, window, minSample, rankedBy: rankingBound(query.metric), rows };
  }
}
