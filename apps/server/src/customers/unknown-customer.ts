import { NotFoundException } from '@nestjs/common';
import { problem, quoted } from '../http/problem';

/** The 404 of a customer with no events: it says so without guessing why. */
export function unknownCustomer(customerId: string): NotFoundException {
  const reason = `no events for customer ${quoted(customerId)}; post one to /api/v1/events first`;
  return new NotFoundException(problem(404, reason, [{ field: 'customerId', reason }]));
}
