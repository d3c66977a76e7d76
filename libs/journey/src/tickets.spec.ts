import type { CustomerCommand } from './customer-commands';
import type { JourneyEvent } from './journey-events';
import { given } from '@journeyline/journey/testing/given-when-then';
import { at, HOUR, visited } from '@journeyline/journey/testing/journey-fixtures';

const openCmd = (ticketId: string, when = at(3)): CustomerCommand => ({
  type: 'OpenTicket',
  eventId: `open-${ticketId}`,
  customerId: 'c-1',
  occurredAt: when,
  data: { ticketId, touchpoint: 'hotline', channel: 'phone' },
});
const resolveCmd = (ticketId: string, when = at(3, 13)): CustomerCommand => ({
  type: 'ResolveTicket',
  eventId: `resolve-${ticketId}`,
  customerId: 'c-1',
  occurredAt: when,
  data: { ticketId },
});
const opened = (ticketId: string, when = at(3)): JourneyEvent => ({
  type: 'TicketOpened',
  eventId: `open-${ticketId}`,
  occurredAt: when,
  data: { ticketId, touchpoint: 'hotline', channel: 'phone', stage: 'use' },
});

describe('support tickets', () => {
  it('an opened ticket records the stage the customer was in', () => {
    given(visited('e1', 'use', at(1)))
      .when(openCmd('t-1'))
      .then(opened('t-1'));
  });

  it('resolving carries the resolution time and where the ticket was opened', () => {
    given(visited('e1', 'use', at(1)), opened('t-1'))
      .when(resolveCmd('t-1'))
      .then({
        type: 'TicketResolved',
        eventId: 'resolve-t-1',
        occurredAt: at(3, 13),
        data: { ticketId: 't-1', openedAt: at(3), resolutionMs: 4 * HOUR, touchpoint: 'hotline', channel: 'phone', stage: 'use' },
      });
  });

  it('a ticket resolved that was never opened breaks ticket-never-opened', () => {
    given(visited('e1', 'use', at(1)))
      .when(resolveCmd('t-404'))
      .thenThrows('ticket-never-opened');
  });

  it('a ticket resolved twice breaks ticket-already-resolved', () => {
    const resolved: JourneyEvent = {
      type: 'TicketResolved',
      eventId: 'r1',
      occurredAt: at(4),
      data: { ticketId: 't-1', openedAt: at(3), resolutionMs: DAYMS },
    };
    given(opened('t-1'), resolved)
      .when(resolveCmd('t-1', at(5)))
      .thenThrows('ticket-already-resolved');
  });

  it('a resolution before the opening breaks ticket-resolved-before-opened', () => {
    given(opened('t-1'))
      .when(resolveCmd('t-1', at(2)))
      .thenThrows('ticket-resolved-before-opened');
  });

  it('a ticket id opened twice breaks ticket-already-opened', () => {
    given(opened('t-1'))
      .when({ ...openCmd('t-1', at(4)), eventId: 'other' })
      .thenThrows('ticket-already-opened');
  });
});

const DAYMS = 24 * HOUR;
