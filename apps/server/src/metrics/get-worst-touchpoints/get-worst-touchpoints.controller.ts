import { Controller, Get, Query } from '@nestjs/common';
import { rankingBound } from '@journeyline/journey';
import { GetWorstQuery, type WorstRow } from './get-worst-touchpoints.query';
import { WorstQueryDto } from './get-worst-touchpoints.request.dto';
import { QueryController } from '../../http/query-controller';
import type { AsOfStatement } from '../../as-of/metrics-as-of.source';
import { Requires } from '../../access/requires.decorator';
import type { PlacePair, ReplayStatement } from '@journeyline/projections';
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
    const limit = query.limit ?? 20;
    const answer = (rows: WorstRow[], asOf?: AsOfStatement | ReplayStatement) => ({
      metric: query.metric,
      by,
      window,
      minSample,
      rankedBy: rankingBound(query.metric),
      definitions: { version: definitions.version },
      ...(asOf ? { asOf } : {}),
      rows,
    });
    // as of a past moment: a cut from the per-customer read models replayed, the rest by the fast path
    if (cut)
      return this.readModelsAsOf(query, async (readModels, asOf) => {
        const ranked = await this.queryBus.execute(new GetCutMetricsQuery(query.metric, cut, window, minSample, true, { limit }, definitions, readModels));
        return answer(ranked as WorstRow[], asOf); // ranked rows carry trends
      });
    const { result: rows, asOf } = await this.metricsAsOf.read(this.asOfOf(query), (view) =>
      this.queryBus.execute(new GetWorstQuery(query.metric, by as Exclude<typeof by, PlacePair>, window, minSample, limit, view, definitions)),
    );
    return answer(rows, asOf);
  }
}
