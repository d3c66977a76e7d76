import { Controller, Get, Query } from '@nestjs/common';
import { METRIC_DEFINITIONS, SCALES_BY_KIND, type Scale } from '@journeyline/journey';
import { QueryController } from '../../http/query-controller';
import { badRequest } from '../../http/problem';
import { Requires } from '../../access/requires.decorator';
import { ExplainMetricChangeQuery } from './explain-metric-change.query';
import { ExplainMetricChangeQueryDto } from './explain-metric-change.request.dto';

/**
 * GET /api/v1/metrics/explain?metric=&touchpoint=|channel=|stage=&window=|from=&to=&by=channel|stage|segment&scale=&limit=&definitionsVersion=:
 * why the metric in the window differs from the window of equal length just before it. The
 * change is split into mix (the groups answered in other proportions) and rate (scores within the
 * groups changed), per group, from the day buckets; with the answers of the group whose current
 * answers pull the metric furthest from where it was (its worst for a change for the worse, its
 * best for one for the better), among those that came with a comment. Both windows are computed
 * under one version of the metric parameters (the one in force, or `definitionsVersion`).
 */
@Controller('api/v1/metrics')
@Requires('read')
export class ExplainMetricChangeController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get('explain')
  async explain(@Query() query: ExplainMetricChangeQueryDto) {
    const window = this.windowOf(query);
    if (query.scale !== undefined) {
      if (!METRIC_DEFINITIONS[query.metric].perScale) {
        throw badRequest('scale', `scale goes with csat or ces (${query.metric} has one scale)`);
      }
      const scales = SCALES_BY_KIND[query.metric as 'csat' | 'ces'];
      if (!scales.includes(query.scale as Scale)) throw badRequest('scale', `${query.metric} answers are on ${scales.join(', ')}`);
    }
    const place = {
      ...(query.touchpoint !== undefined && { touchpoint: query.touchpoint }),
      ...(query.channel !== undefined && { channel: query.channel }),
      ...(query.stage !== undefined && { stage: query.stage }),
    };
    const definitions = await this.definitionsOf(query);
    // as of a past moment: the cut buckets, comments and portraits as they were (replayed)
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const explained = await this.queryBus.execute(
        new ExplainMetricChangeQuery(query.metric, place, query.by ?? 'channel', window, query.scale, query.limit ?? 5, definitions, readModels),
      );
      return asOf ? { ...explained, asOf } : explained;
    });
  }
}
