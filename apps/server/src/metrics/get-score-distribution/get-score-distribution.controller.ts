import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { badRequest } from '../../http/problem';
import { windowFrom } from '../../http/window-query';
import { ScoreDistributionQueryDto } from './get-score-distribution.request.dto';
import { GetScoreDistributionQuery } from './get-score-distribution.query';

/** GET /api/v1/metrics/distribution?metric=&by=&key=&window=: the count of each score. */
@Controller('api/v1/metrics')
export class GetScoreDistributionController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get('distribution')
  async distribution(@Query() query: ScoreDistributionQueryDto) {
    if (query.metric === 'ttr') throw badRequest('metric', 'a score distribution exists for nps, csat and ces');
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'all';
    const counts = await this.queryBus.execute(new GetScoreDistributionQuery(query.metric, by, query.key, window));
    return { metric: query.metric, by, key: query.key, window, counts };
  }
}
