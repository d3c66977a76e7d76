import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { MetricRow } from '@journeyline/projections';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { badRequest, windowFrom } from '../http/query-window';
import { GetMetricSeriesQuery, GetMetricsQuery, GetScoreDistributionQuery, GetWorstQuery } from './metrics.queries';
import { MetricKeyQueryDto, MetricsQueryDto, WorstQueryDto } from './metrics.request.dto';

/**
 * CX metrics from day buckets: NPS in points, CSAT in percent (rows per scale), CES as the mean on
 * its scale (rows per scale), TTR in hours; each row with n, a 95% interval and `meaningful`.
 */
@Controller('api/v1')
export class MetricsController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get('metrics')
  async metrics(@Query() query: MetricsQueryDto) {
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'all';
    const rows: MetricRow[] = await this.queryBus.execute(new GetMetricsQuery(query.metric, by, window, query.minSample ?? this.config.minSample));
    return { metric: query.metric, by, window, minSample: query.minSample ?? this.config.minSample, rows };
  }

  @Get('metrics/series')
  async series(@Query() query: MetricKeyQueryDto) {
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'all';
    const points = await this.queryBus.execute(new GetMetricSeriesQuery(query.metric, by, query.key, window, query.minSample ?? this.config.minSample));
    return { metric: query.metric, by, key: query.key, window, points };
  }

  @Get('metrics/distribution')
  async distribution(@Query() query: MetricKeyQueryDto) {
    if (query.metric === 'ttr') throw badRequest('metric', 'a score distribution exists for nps, csat and ces');
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'all';
    const counts = await this.queryBus.execute(new GetScoreDistributionQuery(query.metric, by, query.key, window));
    return { metric: query.metric, by, key: query.key, window, counts };
  }

  @Get('touchpoints/worst')
  async worst(@Query() query: WorstQueryDto) {
    const window = windowFrom(query, this.config);
    const by = query.by ?? 'touchpoint';
    const minSample = query.minSample ?? this.config.minSample;
    const rows = await this.queryBus.execute(new GetWorstQuery(query.metric, by, window, minSample, query.limit ?? 20));
    return { metric: query.metric, by, window, minSample, rankedBy: query.metric === 'ttr' ? ('low' as const) : ('high' as const), rows };
  }
}
