import { Controller, Get, Query } from '@nestjs/common';
import { badRequest } from '../../http/problem';
import { GetMetricsQueryDto } from './get-metrics.request.dto';
import { GetMetricsQuery } from './get-metrics.query';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import { isCatalogGrouping, type PlacePair } from '@journeyline/projections';
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
  protected override readonly answersAsOf = true;

  @Get()
  async metrics(@Query() query: GetMetricsQueryDto) {
    const window = this.windowOf(query);
    const by = query.by ?? 'all';
    const definitions = await this.definitionsOf(query);
    const minSample = this.minSampleOf(query, definitions);
    const cut = metricCutOf(query, by, this.config);
    const asOf = this.asOfOf(query);
    if (asOf && (cut || isCatalogGrouping(by)))
      throw badRequest('asOf', 'asOf is answered by touchpoint, channel or stage (or all), without place or portrait filters');
    const { result: rows, asOf: stated } = await this.metricsAsOf.read(asOf, (view) =>
      cut
        ? this.queryBus.execute(new GetCutMetricsQuery(query.metric, cut, window, minSample, query.compare === 'previous', undefined, definitions))
        : this.queryBus.execute(
            new GetMetricsQuery(query.metric, by as Exclude<typeof by, PlacePair>, window, minSample, query.compare === 'previous', view, definitions),
          ),
    );
    return { metric: query.metric, by, window, minSample, definitions: { version: definitions.version }, ...(stated ? { asOf: stated } : {}), rows };
  }
}
