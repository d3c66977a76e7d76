import { Controller, Get, Query } from '@nestjs/common';
import { retentionPeriod } from '../retention-period';
import { GetRetentionQuery } from './get-retention.query';
import { RetentionQueryDto } from './get-retention.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';
import { journeyFilterOf } from '../../http/cut-query';

/** GET /api/v1/retention?period=|window=: customers at start, new, at end, lost; retention and churn rates. */
@Controller('api/v1/retention')
@Requires('read')
export class GetRetentionController extends QueryController {
  @Get()
  async retention(@Query() query: RetentionQueryDto) {
    const { from, to } = retentionPeriod(query, this.config);
    const filter = journeyFilterOf(query, this.config);
    return this.readModelsAsOf(query, async (readModels, asOf) => {
      const answer = await this.queryBus.execute(new GetRetentionQuery(from, to, this.config.timeZone, filter, readModels));
      return asOf ? { ...answer, asOf } : answer;
    });
  }
}
