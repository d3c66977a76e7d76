import { Controller, Get, Query } from '@nestjs/common';
import { badRequest } from '../../http/problem';
import { rankingBound } from '@journeyline/journey';
import { GetWorstQuery, type WorstRow } from './get-worst-touchpoints.query';
import { WorstQueryDto } from './get-worst-touchpoints.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import type { PlacePair } from '@journeyline/projections';
import { metricCutOf } from '../../http/cut-query';
import { GetCutMetricsQuery } from '../get-cut-metrics/get-cut-metrics.query';

/** GET /api/v1/touchpoints/worst?metric=&window=&by=&limit=: rows worst first, each with its trend. */
@Controller('api/v1/touchpoints')
@Requires('read')
export class GetWorstTouchpointsController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get('worst')
  async worst(@Query() query: WorstQueryDto) {
    const window = this.windowOf(query);
    const by = query.by ?? 'touchpoint';
    const definitions = await this.definitionsOf(query);
    const minSample = this.minSampleOf(query, definitions);
    const cut = metricCutOf(query, by, this.config);
    const asOf = this.asOfOf(query);
    if (asOf && cut) throw badRequest('asOf', 'asOf is answered by touchpoint, channel or stage, without place or portrait filters');
    const { result: rows, asOf: stated } = await this.metricsAsOf.read(asOf, async (view) =>
      cut
        ? ((await this.queryBus.execute(
            new GetCutMetricsQuery(query.metric, cut, window, minSample, true, { limit: query.limit ?? 20 }, definitions),
          )) as WorstRow[]) // ranked rows carry trends
        : await this.queryBus.execute(
            new GetWorstQuery(query.metric, by as Exclude<typeof by, PlacePair>, window, minSample, query.limit ?? 20, view, definitions),
          ),
    );
    return {
      metric: query.metric,
      by,
      window,
      minSample,
      rankedBy: rankingBound(query.metric),
      definitions: { version: definitions.version },
      ...(stated ? { asOf: stated } : {}),
      rows,
    };
  }
}
