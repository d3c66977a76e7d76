import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { STAGE_LABELS, STAGES } from '@journeyline/journey';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { windowFrom } from '../../http/window-query';
import { GetTouchpointStagesQuery } from './get-touchpoint-stages.query';
import { TouchpointStagesQueryDto } from './get-touchpoint-stages.request.dto';

/**
 * GET /api/v1/touchpoints/by-stage?metric=&window=: the touchpoint × stage heatmap's data. Each
 * touchpoint's metric for the window (all its stages together: the metric buckets have no
 * touchpoint × stage cross dimension) and how its visits spread over the six stages, so the
 * dashboard colours the stage a touchpoint is mostly visited in and marks the others as visited.
 */
@Controller('api/v1/touchpoints')
export class GetTouchpointStagesController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get('by-stage')
  async byStage(@Query() query: TouchpointStagesQueryDto) {
    const window = windowFrom(query, this.config);
    const minSample = query.minSample ?? this.config.minSample;
    const rows = await this.queryBus.execute(new GetTouchpointStagesQuery(query.metric, window, minSample));
    return {
      metric: query.metric,
      window,
      minSample,
      stages: STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage] })),
      /** What `homeStage` and `visits` count: every TouchpointVisited fact so far, whatever the window. */
      visitsBasis: 'all-time',
      rows,
    };
  }
}
