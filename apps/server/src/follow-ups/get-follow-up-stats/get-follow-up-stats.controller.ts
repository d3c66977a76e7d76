import { Controller, Get, Query } from '@nestjs/common';
import { Requires } from '../../access/requires.decorator';
import { QueryController } from '../../http/query-controller';
import { WindowQueryDto } from '../../http/window-query';
import { GetFollowUpStatsQuery } from './get-follow-up-stats.query';

/**
 * GET /api/v1/follow-ups/stats?window=30d (or from/to, tz) → over the follow-ups opened in the
 * window: `opened`, `resolved`, `withdrawn`, `followUpRate` (%), `medianHoursToFollowUp`,
 * `p90HoursToFollowUp`, and `nextAnswer.sameTouchpoint|anyTouchpoint` `{answeredAgain, improved,
 * improvedRate}` (see follow-up-stats.ts in libs/journey for the exact definitions).
 */
@Controller('api/v1/follow-ups')
@Requires('read')
export class GetFollowUpStatsController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get('stats')
  async stats(@Query() query: WindowQueryDto) {
    const window = this.windowOf(query);
    // as of a past moment: the follow-ups and answers as recorded by then (replayed)
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const stats = await this.queryBus.execute(new GetFollowUpStatsQuery({ from: window.from, to: window.to }, readModels));
      return { window: { from: window.from, to: window.to }, ...(asOf ? { asOf } : {}), ...stats };
    });
  }
}
