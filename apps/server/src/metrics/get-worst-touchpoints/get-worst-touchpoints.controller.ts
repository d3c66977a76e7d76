import { Controller, Get, Query } from '@nestjs/common';
import { rankingBound } from '@journeyline/journey';
import { GetWorstQuery } from './get-worst-touchpoints.query';
import { WorstQueryDto } from './get-worst-touchpoints.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/** GET /api/v1/touchpoints/worst?metric=&window=&by=&limit=: rows worst first, each with its trend. */
@Controller('api/v1/touchpoints')
@Requires('read')
export class GetWorstTouchpointsController extends QueryController {
  @Get('worst')
  async worst(@Query() query: WorstQueryDto) {
    const window = this.windowOf(query);
    const by = query.by ?? 'touchpoint';
    const minSample = this.minSampleOf(query);
    const rows = await this.queryBus.execute(new GetWorstQuery(query.metric, by, window, minSample, query.limit ?? 20));
    return { metric: query.metric, by, window, minSample, rankedBy: rankingBound(query.metric), rows };
  }
}
