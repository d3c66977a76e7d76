import { given } from '@journeyline/journey/testing/given-when-then';
import { at, visited } from '@journeyline/journey/testing/journey-fixtures';

describe('churn and reactivation', () => {
  it('a customer churns with a reason', () => {
    given(visited('e1', 'use', at(1)))
      .when({ type: 'RecordChurn', eventId: 'c1', customerId: 'c-1', occurredAt: at(9), data: { reason: 'chuyển sang đối thủ' } })
      .then({ type: 'CustomerChurned', eventId: 'c1', occurredAt: at(9), data: { reason: 'chuyển sang đối thủ' } });
  });

  it('churning twice breaks customer-already-churned', () => {
    given({ type: 'CustomerChurned', eventId: 'c1', occurredAt: at(9), data: {} })
      .when({ type: 'RecordChurn', eventId: 'c2', customerId: 'c-1', occurredAt: at(10), data: {} })
      .thenThrows('customer-already-churned');
  });

  it('a churned customer can be reactivated, and then churn again', () => {
    given({ type: 'CustomerChurned', eventId: 'c1', occurredAt: at(9), data: {} })
      .when({ type: 'ReactivateCustomer', eventId: 'r1', customerId: 'c-1', occurredAt: at(12), data: {} })
      .then({ type: 'CustomerReactivated', eventId: 'r1', occurredAt: at(12), data: {} });
    given({ type: 'CustomerChurned', eventId: 'c1', occurredAt: at(9), data: {} }, { type: 'CustomerReactivated', eventId: 'r1', occurredAt: at(12), data: {} })
      .when({ type: 'RecordChurn', eventId: 'c2', customerId: 'c-1', occurredAt: at(20), data: {} })
      .then({ type: 'CustomerChurned', eventId: 'c2', occurredAt: at(20), data: {} });
  });

  it('reactivating a customer who has not churned breaks customer-not-churned', () => {
    given(visited('e1', 'use', at(1)))
      .when({ type: 'ReactivateCustomer', eventId: 'r1', customerId: 'c-1', occurredAt: at(2), data: {} })
      .thenThrows('customer-not-churned');
  });

  it('a profile records the portrait fields given', () => {
    given()
      .when({ type: 'ProfileCustomer', eventId: 'p1', customerId: 'c-1', occurredAt: at(1), data: { segment: 'SME', region: 'Hà Nội', ageBand: '25-34' } })
      .then({ type: 'CustomerProfiled', eventId: 'p1', occurredAt: at(1), data: { segment: 'SME', region: 'Hà Nội', ageBand: '25-34' } });
  });
});
