import { Query } from '@nestjs/cqrs';
import type { CustomerFilter, listCustomers } from '@journeyline/projections';

/** A page of customers from the journey map, filtered and sorted. */
export class ListCustomersQuery extends Query<Awaited<ReturnType<typeof listCustomers>>> {
  constructor(readonly filter: CustomerFilter) {
    super();
  }
}
