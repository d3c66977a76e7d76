import { Controller, Get, Query } from '@nestjs/common';
import { GetMetricsQueryDto } from './get-metrics.request.dto';
import { GetMetricsQuery } from './get-metrics.query';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import type { PlacePair } from '@journeyline/projections';
import { metricCutOf } from '../../http/cut-query';
import { GetCutMetricsQuery } from '../get-cut-metrics/get-cut-metrics.query';

/**
 * GET /api/v1/metrics: CX metrics from day buckets: NPS in points, CSAT in percent (rows per
 * scale), CES as the mean on its scale (rows per scale), TTR in hours; each row with n, a 95%
 * interval and `meaningful`.
 */
@Controller('api/v1/metrics')
@Requires('read')
export class GetMetricsController extends QueryController {
  @Get()
  async metrics(@Query() query: GetMetricsQueryDto) {
    const window = this.windowOf(query);
    const by = query.by ?? 'all';
    const minSample = this.minSampleOf(query);
    const cut = metricCutOf(query, by, this.config);
    const rows = cut
      ? await this.queryBus.execute(new GetCutMetricsQuery(query.metric, cut, window, minSample, query.compare === 'previous'))
      : await this.queryBus.execute(new GetMetricsQuery(query.metric, by as Exclude<typeof by, PlacePair>, window, minSample, query.compare === 'previous'));
    return { metric: query.metric, by, window, minSample, rows };
  }
}
