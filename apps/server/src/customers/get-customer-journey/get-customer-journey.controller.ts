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
  async journey(@Param('id') customerId: string, @Query() query: JourneyQueryDto): Promise<Journey> {
    const journey = await this.queryBus.execute(new GetCustomerJourneyQuery(customerId, query.asOf ? new Date(query.asOf) : null));
    if (!journey) throw unknownCustomer(customerId);
    return journey;
  }
}
