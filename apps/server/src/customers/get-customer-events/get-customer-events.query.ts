import { Query } from '@nestjs/cqrs';

/** A page of a customer's stream; null for an unknown customer. */
export interface CustomerEventsPage {
  items: { position: number; revision: number; eventId: string; type: string; occurredAt: string; recordedAt: string; data: Record<string, unknown> }[];
  /** Revision to continue from, when there is more. */
  nextRevision: number | null;
}

export class GetCustomerEventsQuery extends Query<CustomerEventsPage | null> {
  constructor(
    readonly customerId: string,
    readonly limit: number,
    readonly fromRevision: number,
  ) {
    super();
  }
}
