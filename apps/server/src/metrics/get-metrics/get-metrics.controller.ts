import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { windowFrom } from '../../http/window-query';
import { GetMetricsQueryDto } from './get-metrics.request.dto';
import { GetMetricsQuery } from './get-metrics.query';

/**
 * GET /api/v1/metrics: CX metrics from day buckets: NPS in points, CSAT in percent (rows per
 * scale), CES as the mean on its scale (rows per scale), TTR in hours; each row with n, a 95%
 * interval and `meaningful`.
 */
@Controller('api/v1/metrics')
export class GetMetricsController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get()
  async metrics(@Query() query: GetMetricsQueryDto) {
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'all';
    const minSample = query.minSample ?? this.config.minSample;
    const rows = await this.queryBus.execute(new GetMetricsQuery(query.metric, by, window, minSample, query.compare === 'previous'));
    return { metric: query.metric, by, window, minSample, rows };
  }
}
