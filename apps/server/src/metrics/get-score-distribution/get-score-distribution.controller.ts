import { Controller, Get, Query } from '@nestjs/common';
import { badRequest } from '../../http/problem';
import { ScoreDistributionQueryDto } from './get-score-distribution.request.dto';
import { GetScoreDistributionQuery } from './get-score-distribution.query';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import { isPlacePair } from '@journeyline/projections';
import { cutFilters } from '../../http/cut-query';

/** GET /api/v1/metrics/distribution?metric=&by=&key=&window=: the count of each score. */
@Controller('api/v1/metrics')
@Requires('read')
export class GetScoreDistributionController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get('distribution')
  async distribution(@Query() query: ScoreDistributionQueryDto) {
    if (query.metric === 'ttr') throw badRequest('metric', 'a score distribution exists for nps, csat and ces');
    const window = this.windowOf(query);
    const by = query.by ?? 'all';
    const filters = cutFilters(query);
    if (isPlacePair(by) || filters.length > 0) {
      throw badRequest(
        filters[0] ?? 'by',
        'a score distribution is of one key of one dimension: filters and two dimensions are for /metrics and /metrics/series',
      );
    }
    const metric = query.metric;
    // the count of each score is the same under any parameters: the answer says which version is in force (or was asked for)
    const definitions = await this.definitionsOf(query);
    const { result: counts, asOf: stated } = await this.metricsAsOf.read(this.asOfOf(query), (view) =>
      this.queryBus.execute(new GetScoreDistributionQuery(metric, by, query.key, window, view)),
    );
    return { metric, by, key: query.key, window, definitions: { version: definitions.version }, ...(stated ? { asOf: stated } : {}), counts };
  }
}
