import { Controller, Get, Query } from '@nestjs/common';
import { GetAttentionQuery } from './get-attention.query';
import { AttentionQueryDto } from './get-attention.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/**
 * GET /api/v1/touchpoints/attention?window=: what needs attention, across all metrics: each
 * touchpoint row whose whole 95% interval lies below its target, or below the whole company's
 * value when it has no target (above, for TTR), most urgent first, with the reason in words and
 * where to read its comments.
 */
@Controller('api/v1/touchpoints')
@Requires('read')
export class GetAttentionController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get('attention')
  async attention(@Query() query: AttentionQueryDto) {
    const window = this.windowOf(query);
    const definitions = await this.definitionsOf(query);
    // as of a past moment: the metrics, the targets and the owners as they were (replayed)
    return this.metricReadModelsAsOf(query, async (readModels, asOf) => {
      const rows = await this.queryBus.execute(new GetAttentionQuery(window, this.minSampleOf({}, definitions), definitions, readModels));
      return { window, definitions: { version: definitions.version }, ...(asOf ? { asOf } : {}), rows };
    });
  }
}
