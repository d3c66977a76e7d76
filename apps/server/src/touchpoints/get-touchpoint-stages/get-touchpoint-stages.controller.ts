import { Controller, Get, Query } from '@nestjs/common';
import { STAGE_LABELS, STAGES } from '@journeyline/journey';
import { GetTouchpointStagesQuery } from './get-touchpoint-stages.query';
import { TouchpointStagesQueryDto } from './get-touchpoint-stages.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/**
 * GET /api/v1/touchpoints/by-stage?metric=&window=: the touchpoint × stage heatmap's data. Each
 * touchpoint's metric for the window (all its stages together: the metric buckets have no
 * touchpoint × stage cross dimension) and how its visits spread over the six stages, so the
 * dashboard colours the stage a touchpoint is mostly visited in and marks the others as visited.
 */
@Controller('api/v1/touchpoints')
@Requires('read')
export class GetTouchpointStagesController extends QueryController {
  @Get('by-stage')
  async byStage(@Query() query: TouchpointStagesQueryDto) {
    const window = this.windowOf(query);
    const definitions = await this.definitionsOf(query);
    const minSample = this.minSampleOf(query, definitions);
    const rows = await this.queryBus.execute(new GetTouchpointStagesQuery(query.metric, window, minSample, definitions));
    return {
      metric: query.metric,
      window,
      minSample,
      definitions: { version: definitions.version },
      stages: STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage] })),
      /** What `homeStage` and `visits` count: every TouchpointVisited fact so far, whatever the window. */
      visitsBasis: 'all-time',
      rows,
    };
  }
}
