import { Query } from '@nestjs/cqrs';
import type { Journey } from '@journeyline/journey';
import type { CustomerFilter, listCustomers } from '@journeyline/projections';

/** A page of a customer's stream; null for an unknown customer. */
export interface CustomerEventsPage {
  items: { position: number; revision: number; eventId: string; type: string; occurredAt: string; recordedAt: string; data: Record<string, unknown> }[];
  /** Revision to continue from, when there is more. */
  nextRevision: number | null;
}

/** Read-side questions about customers, answered by QueryBus handlers (the type argument is the answer). */
export class GetCustomerEventsQuery extends Query<CustomerEventsPage | null> {
  constructor(readonly customerId: string, readonly limit: number, readonly fromRevision: number) {
    super();
  }
}

export class GetCustomerJourneyQuery extends Query<Journey | null> {
  constructor(readonly customerId: string, readonly asOf: Date | null) {
    super();
  }
}

export class ListCustomersQuery extends Query<Awaited<ReturnType<typeof listCustomers>>> {
  constructor(readonly filter: CustomerFilter) {
    super();
  }
}
