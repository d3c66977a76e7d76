import type { SqlExecutor } from '@journeyline/projections';
import { Query } from '@nestjs/cqrs';
import type { CustomerFilter, listCustomers } from '@journeyline/projections';

/** The list's filter as asked: `q` as typed (the handler turns it into blind-index tokens). */
export type CustomerListRequest = Omit<CustomerFilter, 'search'> & { q?: string };

/** A page of customers from the journey map, filtered and sorted. */
export class ListCustomersQuery extends Query<Awaited<ReturnType<typeof listCustomers>>> {
  constructor(
    readonly filter: CustomerListRequest,
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
