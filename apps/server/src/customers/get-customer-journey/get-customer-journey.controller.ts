import { asOfFrom } from '../../http/window-query';
import { Controller, Get, Param, Query } from '@nestjs/common';
import type { Journey } from '@journeyline/journey';
import { unknownCustomer } from '../unknown-customer';
import { GetCustomerJourneyQuery } from './get-customer-journey.query';
import { JourneyQueryDto } from './get-customer-journey.request.dto';
import { QueryController } from '../../http/query-controller';
import { Requires } from '../../access/requires.decorator';

/** GET /api/v1/customers/:id/journey?asOf=: stages, touchpoints, feedback, tickets, purchases, portrait, churn and churn-risk episodes. */
@Controller('api/v1/customers')
@Requires('read')
export class GetCustomerJourneyController extends QueryController {
  @Get(':id/journey')
  async journey(@Param('id') customerId: string, @Query() query: JourneyQueryDto): Promise<Journey & { asOf?: string }> {
    // a bare date is midnight in tz or JOURNEYLINE_TZ, as everywhere else
    const asOf = asOfFrom(query, this.config);
    const journey = await this.queryBus.execute(new GetCustomerJourneyQuery(customerId, asOf));
    if (!journey) throw unknownCustomer(customerId);
    return asOf ? { ...journey, asOf: asOf.toISOString() } : journey;
  }
}
