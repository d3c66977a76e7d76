import { Controller, Get, Query } from '@nestjs/common';
import { Requires } from '../../access/requires.decorator';
import { QueryController } from '../../http/query-controller';
import { WindowQueryDto } from '../../http/window-query';
import { ListResponseRatesQuery, type ResponseRatesAnswer } from './list-response-rates.query';

/** GET /api/v1/surveys/response-rates?window=30d (read) → `{items: [{surveyId, sent, answered, rate, ...}]}`: every survey's, as for one. */
@Controller('api/v1/surveys')
@Requires('read')
export class ListResponseRatesController extends QueryController {
  @Get('response-rates')
  rates(@Query() query: WindowQueryDto): Promise<ResponseRatesAnswer> {
    return this.queryBus.execute(new ListResponseRatesQuery(this.windowOf(query)));
  }
}
