import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { windowFrom } from '../../http/window-query';
import { GetMetricSeriesQuery } from './get-metric-series.query';
import { MetricSeriesQueryDto } from './get-metric-series.request.dto';

/** GET /api/v1/metrics/series?metric=&by=&key=&window=&step=: one row per local day, or per `step` days. */
@Controller('api/v1/metrics')
export class GetMetricSeriesController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get('series')
  async series(@Query() query: MetricSeriesQueryDto) {
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'all';
    const step = query.step ?? 1;
    const points = await this.queryBus.execute(new GetMetricSeriesQuery(query.metric, by, query.key, window, query.minSample ?? this.config.minSample, step));
    return { metric: query.metric, by, key: query.key, window, step, points };
  }
}
