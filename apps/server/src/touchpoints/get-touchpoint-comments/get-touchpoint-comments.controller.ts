import { Controller, Get, Param, Query } from '@nestjs/common';
import { GetTouchpointCommentsQuery } from './get-touchpoint-comments.query';
import { TouchpointCommentsQueryDto } from './get-touchpoint-comments.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/**
 * GET /api/v1/touchpoints/:touchpoint/comments?limit=&window=|from=&to=&tz=: the latest feedback
 * comments given at a touchpoint (newest first by occurredAt), with the customer who gave each.
 * Without a window it looks at all time. `scanned` (rows read) and `complete` (always true: the
 * comments have their own index) are kept for clients of the first version, which scanned.
 */
@Controller('api/v1/touchpoints')
@Requires('read')
export class GetTouchpointCommentsController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get(':touchpoint/comments')
  async comments(@Param('touchpoint') touchpoint: string, @Query() query: TouchpointCommentsQueryDto) {
    const bounded = Boolean(query.window || query.from || query.to || query.asOf);
    const window = bounded ? this.windowOf(query) : null;
    // as of a past moment: only the comments recorded by then (the journey map replayed)
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const items = await this.queryBus.execute(
        new GetTouchpointCommentsQuery(touchpoint, new Date(window?.from ?? 0), new Date(window?.to ?? 8.64e15), query.limit ?? 20, readModels),
      );
      return { touchpoint, window, ...(asOf ? { asOf } : {}), items, scanned: items.length, complete: true };
    });
  }
}
