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
  protected override readonly answersAsOf = true;

  @Get('by-stage')
  async byStage(@Query() query: TouchpointStagesQueryDto) {
    const window = this.windowOf(query);
    const definitions = await this.definitionsOf(query);
    const minSample = this.minSampleOf(query, definitions);
    // as of a past moment: the visits from the per-customer read models replayed, the metric by its fast path
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const { result: rows } = await this.metricsAsOf.read(this.asOfOf(query), (view) =>
        this.queryBus.execute(new GetTouchpointStagesQuery(query.metric, window, minSample, definitions, readModels, view)),
      );
      return {
        metric: query.metric,
        window,
        minSample,
        definitions: { version: definitions.version },
        ...(asOf ? { asOf } : {}),
        stages: STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage] })),
        /** What `homeStage` and `visits` count: every TouchpointVisited fact so far (up to asOf), whatever the window. */
        visitsBasis: 'all-time',
        rows,
      };
    });
  }
}
