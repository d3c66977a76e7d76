import { Controller, Get, Inject, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { windowFrom } from '../../http/window-query';
import { GetFunnelQuery } from './get-funnel.query';
import { FunnelQueryDto } from './get-funnel.request.dto';

/**
 * GET /api/v1/funnel: the customers whose first touchpoint is in the window, how many reached
 * each stage (or a later one), conversion stage to stage and median time between stages.
 */
@Controller('api/v1/funnel')
export class GetFunnelController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get()
  async funnel(@Query() query: FunnelQueryDto) {
    const window = windowFrom(query, this.config);
    const groups = await this.queryBus.execute(new GetFunnelQuery(new Date(window.from), new Date(window.to), query.split));
    return { window: { from: window.from, to: window.to, timeZone: window.timeZone }, split: query.split ?? null, groups };
  }
}
