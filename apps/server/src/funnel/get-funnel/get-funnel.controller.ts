import { Controller, Get, Query } from '@nestjs/common';
import { GetFunnelQuery } from './get-funnel.query';
import { FunnelQueryDto } from './get-funnel.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import { portraitFilterOf } from '../../http/cut-query';

/**
 * GET /api/v1/funnel: the customers whose first touchpoint is in the window, how many reached
 * each stage (or a later one), conversion stage to stage and median time between stages.
 */
@Controller('api/v1/funnel')
@Requires('read')
export class GetFunnelController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get()
  async funnel(@Query() query: FunnelQueryDto) {
    const window = this.windowOf(query);
    const portrait = portraitFilterOf(query, this.config);
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const groups = await this.queryBus.execute(new GetFunnelQuery(new Date(window.from), new Date(window.to), query.split, portrait, readModels));
      return {
        window: { from: window.from, to: window.to, timeZone: window.timeZone },
        split: query.split ?? null,
        filters: portrait,
        ...(asOf ? { asOf } : {}),
        groups,
      };
    });
  }
}
