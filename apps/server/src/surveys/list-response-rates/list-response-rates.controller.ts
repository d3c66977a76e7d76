import { Controller, Get, Query } from '@nestjs/common';
import { Requires } from '../../access/requires.decorator';
import { QueryController } from '../../http/query-controller';
import { WindowQueryDto } from '../../http/window-query';
import { ListResponseRatesQuery, type ResponseRatesAnswer } from './list-response-rates.query';

/** GET /api/v1/surveys/response-rates?window=30d (read) → `{items: [{surveyId, sent, answered, rate, ...}]}`: every survey's, as for one. */
@Controller('api/v1/surveys')
@Requires('read')
export class ListResponseRatesController extends QueryController {
  protected override readonly answersAsOf = true;

  @Get('response-rates')
  rates(@Query() query: WindowQueryDto): Promise<ResponseRatesAnswer> {
    const window = this.windowOf(query);
    // as of a past moment: the links sent and answered as recorded by then (replayed); the surveys listed are today's catalog
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const { window: answered, items } = await this.queryBus.execute(new ListResponseRatesQuery(window, readModels));
      return { window: answered, ...(asOf ? { asOf } : {}), items };
    });
  }
}
