import { Controller, Get, Query } from '@nestjs/common';
import { GetMetricsQueryDto } from './get-metrics.request.dto';
import { GetMetricsQuery } from './get-metrics.query';
import { QueryController } from '../../http/query-controller';
import type { AsOfStatement } from '../../as-of/metrics-as-of.source';
import { Requires } from '../../access/requires.decorator';
import { isCatalogGrouping, type PlacePair, type ReplayStatement } from '@journeyline/projections';
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
    const compare = query.compare === 'previous';
    const answer = <Row>(rows: Row[], asOf?: AsOfStatement | ReplayStatement) => ({
      metric: query.metric,
      by,
      window,
      minSample,
      definitions: { version: definitions.version },
      ...(asOf ? { asOf } : {}),
      rows,
    });
    // as of a past moment: cuts from the per-customer read models replayed, catalog groupings from the metrics and catalog replayed, the rest by the fast path
    if (cut)
      return this.readModelsAsOf(query, async (readModels, asOf) =>
        answer(await this.queryBus.execute(new GetCutMetricsQuery(query.metric, cut, window, minSample, compare, undefined, definitions, readModels)), asOf),
      );
    if (isCatalogGrouping(by))
      return this.metricReadModelsAsOf(query, async (readModels, asOf) =>
        answer(await this.queryBus.execute(new GetMetricsQuery(query.metric, by, window, minSample, compare, undefined, definitions, readModels)), asOf),
      );
    const { result: rows, asOf } = await this.metricsAsOf.read(this.asOfOf(query), (view) =>
      this.queryBus.execute(new GetMetricsQuery(query.metric, by as Exclude<typeof by, PlacePair>, window, minSample, compare, view, definitions)),
    );
    return answer(rows, asOf);
  }
}
