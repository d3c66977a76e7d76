import { Controller, Get, Query } from '@nestjs/common';
import { GetMetricSeriesQuery } from './get-metric-series.query';
import { MetricSeriesQueryDto } from './get-metric-series.request.dto';
import { QueryController } from '../../http/query-controller';
import type { AsOfStatement } from '../../as-of/metrics-as-of.source';
import { Requires } from '../../access/requires.decorator';
import type { PlacePair, ReplayStatement } from '@journeyline/projections';
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
    const answer = <Point>(points: Point[], asOf?: AsOfStatement | ReplayStatement) => ({
      metric: query.metric,
      by,
      key: query.key,
      window,
      step,
      definitions: { version: definitions.version },
      ...(asOf ? { asOf } : {}),
      points,
    });
    // as of a past moment: a cut from the per-customer read models replayed, the rest by the fast path
    if (cut)
      return this.readModelsAsOf(query, async (readModels, asOf) =>
        answer(await this.queryBus.execute(new GetCutSeriesQuery(query.metric, cut, query.key, window, minSample, step, definitions, readModels)), asOf),
      );
    const { result: points, asOf } = await this.metricsAsOf.read(this.asOfOf(query), (view) =>
      this.queryBus.execute(new GetMetricSeriesQuery(query.metric, by as Exclude<typeof by, PlacePair>, query.key, window, minSample, step, view, definitions)),
    );
    return answer(points, asOf);
  }
}
