import type { CustomerCommand } from './customer-commands';
import type { JourneyEvent } from './journey-events';
import { given } from '@journeyline/journey/testing/given-when-then';
import { at, DAY, entered, visited } from '@journeyline/journey/testing/journey-fixtures';

const purchaseCmd = (eventId: string, orderId: string, amount: number, when = at(5)): CustomerCommand => ({
  type: 'RecordPurchase',
  eventId,
  customerId: 'c-1',
  occurredAt: when,
  data: { orderId, amount, currency: 'VND' },
});
const purchased = (eventId: string, orderId: string, amount: number, when = at(5)): JourneyEvent => ({
  type: 'PurchaseMade',
  eventId,
  occurredAt: when,
  data: { orderId, amount, currency: 'VND' },
});

describe('purchases', () => {
  it('a first purchase moves a customer who had not bought into the purchase stage', () => {
    given(visited('e1', 'choice', at(2)))
      .when(purchaseCmd('p1', 'o-1', 1_500_000))
      .then(purchased('p1', 'o-1', 1_500_000), entered('p1', 'purchase', 'choice', at(5), 3 * DAY));
  });

  it('a repeat purchase never pulls a customer in use back to purchase', () => {
    given(visited('e1', 'use', at(2)), purchased('p1', 'o-1', 10))
      .when(purchaseCmd('p2', 'o-2', 20, at(6)))
      .then(purchased('p2', 'o-2', 20, at(6)));
  });

  it('a free order (amount 0) is a purchase', () => {
    given()
      .when(purchaseCmd('p1', 'o-1', 0))
      .then(purchased('p1', 'o-1', 0), entered('p1', 'purchase', null, at(5), null));
  });

  it('a negative amount breaks the rule purchase-amount-negative', () => {
    given()
      .when(purchaseCmd('p1', 'o-1', -5))
      .thenThrows('purchase-amount-negative');
  });

  it('the same order recorded twice under a new eventId breaks order-already-recorded', () => {
    given(purchased('p1', 'o-1', 10))
      .when(purchaseCmd('p2', 'o-1', 10))
      .thenThrows('order-already-recorded');
  });
});
