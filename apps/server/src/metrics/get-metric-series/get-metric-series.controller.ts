import { Controller, Get, Query } from '@nestjs/common';
import { GetMetricSeriesQuery } from './get-metric-series.query';
import { MetricSeriesQueryDto } from './get-metric-series.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import type { PlacePair } from '@journeyline/projections';
import { metricCutOf } from '../../http/cut-query';
import { GetCutSeriesQuery } from '../get-cut-series/get-cut-series.query';

/** GET /api/v1/metrics/series?metric=&by=&key=&window=&step=: one row per local day, or per `step` days. */
@Controller('api/v1/metrics')
@Requires('read')
export class GetMetricSeriesController extends QueryController {
  @Get('series')
  async series(@Query() query: MetricSeriesQueryDto) {
    const window = this.windowOf(query);
    const by = query.by ?? 'all';
    const step = query.step ?? 1;
    const cut = metricCutOf(query, by, this.config);
    const points = cut
      ? await this.queryBus.execute(new GetCutSeriesQuery(query.metric, cut, query.key, window, this.minSampleOf(query), step))
      : await this.queryBus.execute(
          new GetMetricSeriesQuery(query.metric, by as Exclude<typeof by, PlacePair>, query.key, window, this.minSampleOf(query), step),
        );
    return { metric: query.metric, by, key: query.key, window, step, points };
  }
}
