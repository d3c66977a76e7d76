import { Module } from '@nestjs/common';
import { EraseCustomerController } from './erase-customer/erase-customer.controller';
import { EraseCustomerHandler } from './erase-customer/erase-customer.handler';
import { ExportCustomerController } from './export-customer/export-customer.controller';
import { ExportCustomerHandler } from './export-customer/export-customer.handler';
import { MergeCustomersController } from './merge-customers/merge-customers.controller';
import { MergeCustomersHandler } from './merge-customers/merge-customers.handler';
import { GetCustomerEventsController } from './get-customer-events/get-customer-events.controller';
import { GetCustomerEventsHandler } from './get-customer-events/get-customer-events.handler';
import { GetCustomerJourneyController } from './get-customer-journey/get-customer-journey.controller';
import { GetCustomerJourneyHandler } from './get-customer-journey/get-customer-journey.handler';
import { ListCustomersController } from './list-customers/list-customers.controller';
import { ListCustomersHandler } from './list-customers/list-customers.handler';

export const QueryHandlers = [ListCustomersHandler, GetCustomerEventsHandler, GetCustomerJourneyHandler, ExportCustomerHandler];

/** Customers: the list from the journey map, each customer's stream and journey, and (admin) their export and erasure. */
@Module({
  controllers: [
    ListCustomersController,
    GetCustomerEventsController,
    GetCustomerJourneyController,
    ExportCustomerController,
    EraseCustomerController,
    MergeCustomersController,
  ],
  providers: [...QueryHandlers, EraseCustomerHandler, MergeCustomersHandler],
})
export class CustomersModule {}
