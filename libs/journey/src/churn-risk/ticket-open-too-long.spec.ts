/** The slow-ticket rule, including two slow tickets at once (one flag per rule at a time). */
import { given } from '@journeyline/journey/testing/churn-risk-given-when-then';
import { at, cleared, flagged, ticketOpened, ticketResolved } from '@journeyline/journey/testing/churn-risk-fixtures';

const RULE = 'ticket-open-too-long';

describe('churn risk: a support ticket open longer than 48 hours', () => {
  it('is flagged 48 hours after the ticket was opened, with the opening as evidence', () => {
    given(ticketOpened('o1', 't-1', at(1)))
      .whenEvaluatedAt(at(5))
      .then(flagged(RULE, ['o1'], at(3)));
  });

  it('is not flagged before 48 hours', () => {
    given(ticketOpened('o1', 't-1', at(1)))
      .whenEvaluatedAt(at(3, 8))
      .thenNothing();
  });

  it('is not flagged when the ticket is resolved in time', () => {
    given(ticketOpened('o1', 't-1', at(1)), ticketResolved('r1', 't-1', at(1), at(2)))
      .whenEvaluatedAt(at(10))
      .thenNothing();
  });

  it('clears when the ticket is resolved', () => {
    given(ticketOpened('o1', 't-1', at(1)), flagged(RULE, ['o1'], at(3)), ticketResolved('r1', 't-1', at(1), at(4)))
      .whenEvaluatedAt(at(4, 10))
      .then(cleared(RULE, 'o1', at(4), 'ticket t-1 resolved: r1'));
  });

  it('is never flagged twice while the ticket stays open', () => {
    given(ticketOpened('o1', 't-1', at(1)), flagged(RULE, ['o1'], at(3)))
      .whenEvaluatedAt(at(20))
      .thenNothing();
  });

  it('a second late ticket takes over when the first is resolved: one flag per rule at a time', () => {
    given(ticketOpened('o1', 't-1', at(1)), ticketOpened('o2', 't-2', at(2)), flagged(RULE, ['o1'], at(3)), ticketResolved('r1', 't-1', at(1), at(6)))
      .whenEvaluatedAt(at(7))
      .then(cleared(RULE, 'o1', at(6), 'ticket t-1 resolved: r1'), flagged(RULE, ['o2'], at(6)));
  });

  it('another ticket opening later is a new episode', () => {
    given(
      ticketOpened('o1', 't-1', at(1)),
      flagged(RULE, ['o1'], at(3)),
      ticketResolved('r1', 't-1', at(1), at(4)),
      cleared(RULE, 'o1', at(4), 'ticket t-1 resolved: r1'),
      ticketOpened('o2', 't-2', at(10)),
    )
      .whenEvaluatedAt(at(13))
      .then(flagged(RULE, ['o2'], at(12)));
  });

  it('honours the configured number of hours', () => {
    const rules = [{ id: 'ticket-4h', kind: RULE, hours: 4 } as const];
    given(ticketOpened('o1', 't-1', at(1)))
      .whenEvaluatedAt(at(1, 13), rules)
      .then(flagged('ticket-4h', ['o1'], at(1, 13), 'o1', 'Support ticket unresolved for more than 4 hours'));
  });
});
