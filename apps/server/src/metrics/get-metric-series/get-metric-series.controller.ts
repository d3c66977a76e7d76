import { Controller, Get, Query } from '@nestjs/common';
import { badRequest } from '../../http/problem';
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
  protected override readonly answersAsOf = true;

  @Get('series')
  async series(@Query() query: MetricSeriesQueryDto) {
    const window = this.windowOf(query);
    const by = query.by ?? 'all';
    const step = query.step ?? 1;
    const cut = metricCutOf(query, by, this.config);
    const definitions = await this.definitionsOf(query);
    const minSample = this.minSampleOf(query, definitions);
    const asOf = this.asOfOf(query);
    if (asOf && cut) throw badRequest('asOf', 'asOf is answered by touchpoint, channel or stage (or all), without place or portrait filters');
    const { result: points, asOf: stated } = await this.metricsAsOf.read(asOf, (view) =>
      cut
        ? this.queryBus.execute(new GetCutSeriesQuery(query.metric, cut, query.key, window, minSample, step, definitions))
        : this.queryBus.execute(
            new GetMetricSeriesQuery(query.metric, by as Exclude<typeof by, PlacePair>, query.key, window, minSample, step, view, definitions),
          ),
    );
    return {
      metric: query.metric,
      by,
      key: query.key,
      window,
      step,
      definitions: { version: definitions.version },
      ...(stated ? { asOf: stated } : {}),
      points,
    };
  }
}
