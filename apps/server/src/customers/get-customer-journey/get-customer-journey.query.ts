import { Query } from '@nestjs/cqrs';
import type { Journey } from '@journeyline/journey';

/** The customer's journey, as known at `asOf` (null: now); null for an unknown customer. */
export class GetCustomerJourneyQuery extends Query<Journey | null> {
  constructor(
    readonly customerId: string,
    readonly asOf: Date | null,
  ) {
    super();
  }
}
