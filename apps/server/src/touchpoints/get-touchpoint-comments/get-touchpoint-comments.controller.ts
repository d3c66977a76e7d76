import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { windowFrom } from '../../http/window-query';
import { GetTouchpointCommentsQuery } from './get-touchpoint-comments.query';
import { TouchpointCommentsQueryDto } from './get-touchpoint-comments.request.dto';

/**
 * GET /api/v1/touchpoints/:touchpoint/comments?limit=&window=|from=&to=&tz=: the latest feedback
 * comments given at a touchpoint (newest first by occurredAt), with the customer who gave each.
 * Without a window it looks at all time. `scanned` (rows read) and `complete` (always true: the
 * comments have their own index) are kept for clients of the first version, which scanned.
 */
@Controller('api/v1/touchpoints')
export class GetTouchpointCommentsController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  @Get(':touchpoint/comments')
  async comments(@Param('touchpoint') touchpoint: string, @Query() query: TouchpointCommentsQueryDto) {
    const bounded = Boolean(query.window || query.from || query.to);
    const window = bounded ? windowFrom(query, this.config) : null;
    const items = await this.queryBus.execute(
      new GetTouchpointCommentsQuery(touchpoint, new Date(window?.from ?? 0), new Date(window?.to ?? 8.64e15), query.limit ?? 20),
    );
    return { touchpoint, window, items, scanned: items.length, complete: true };
  }
}
