import { Controller, Get, Query } from '@nestjs/common';
import { GetFunnelQuery } from './get-funnel.query';
import { FunnelQueryDto } from './get-funnel.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import { journeyFilterOf } from '../../http/cut-query';

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
    const filter = journeyFilterOf(query, this.config);
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const groups = await this.queryBus.execute(
        new GetFunnelQuery(new Date(window.from), new Date(window.to), this.config.timeZone, query.split, filter, readModels),
      );
      return {
        window: { from: window.from, to: window.to, timeZone: window.timeZone },
        split: query.split ?? null,
        filters: filter,
        ...(asOf ? { asOf } : {}),
        groups,
      };
    });
  }
}
