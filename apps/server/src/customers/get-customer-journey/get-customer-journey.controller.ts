import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { Journey } from '@journeyline/journey';
import { unknownCustomer } from '../unknown-customer';
import { GetCustomerJourneyQuery } from './get-customer-journey.query';
import { JourneyQueryDto } from './get-customer-journey.request.dto';

/** GET /api/v1/customers/:id/journey?asOf=: stages, touchpoints, feedback, tickets, purchases, portrait, churn and churn-risk episodes. */
@Controller('api/v1/customers')
export class GetCustomerJourneyController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id/journey')
  async journey(@Param('id') customerId: string, @Query() query: JourneyQueryDto): Promise<Journey> {
    const journey = await this.queryBus.execute(new GetCustomerJourneyQuery(customerId, query.asOf ? new Date(query.asOf) : null));
    if (!journey) throw unknownCustomer(customerId);
    return journey;
  }
}
