import { Module } from '@nestjs/common';
import { GetCustomerEventsController } from './get-customer-events/get-customer-events.controller';
import { GetCustomerEventsHandler } from './get-customer-events/get-customer-events.handler';
import { GetCustomerJourneyController } from './get-customer-journey/get-customer-journey.controller';
import { GetCustomerJourneyHandler } from './get-customer-journey/get-customer-journey.handler';
import { ListCustomersController } from './list-customers/list-customers.controller';
import { ListCustomersHandler } from './list-customers/list-customers.handler';

export const QueryHandlers = [ListCustomersHandler, GetCustomerEventsHandler, GetCustomerJourneyHandler];

/** Customers: the list from the journey map, and each customer's stream and journey. */
@Module({
  controllers: [ListCustomersController, GetCustomerEventsController, GetCustomerJourneyController],
  providers: [...QueryHandlers],
})
export class CustomersModule {}
