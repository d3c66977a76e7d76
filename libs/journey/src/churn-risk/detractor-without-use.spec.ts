/** The detractor rule as the CX team states it: who is flagged, when, on what evidence, and when it ends. */
import { given } from '@journeyline/journey/testing/churn-risk-given-when-then';
import { at, cleared, flagged, nps, visit } from '@journeyline/journey/testing/churn-risk-fixtures';

const RULE = 'detractor-without-use';

describe('churn risk: an NPS detractor who then does not use the service for 30 days', () => {
  it('is flagged 30 days after the detractor answer, with that answer as evidence', () => {
    given(nps('f1', 3, at(1)))
      .whenEvaluatedAt(at(31))
      .then(flagged(RULE, ['f1'], at(31)));
  });

  it('is not flagged a moment before the 30 days are up', () => {
    given(nps('f1', 3, at(1)))
      .whenEvaluatedAt(at(31, 8))
      .thenNothing();
  });

  it('is not flagged when a use-stage visit follows within the 30 days', () => {
    given(nps('f1', 6, at(1)), visit('v1', 'use', at(20)))
      .whenEvaluatedAt(at(60))
      .thenNothing();
  });

  it('visits at other stages are not use', () => {
    given(nps('f1', 0, at(1)), visit('v1', 'evaluation', at(5)), visit('v2', 'advocacy', at(6)))
      .whenEvaluatedAt(at(31))
      .then(flagged(RULE, ['f1'], at(31)));
  });

  it('passives and promoters are not detractors', () => {
    given(nps('f1', 7, at(1)), nps('f2', 10, at(2)))
      .whenEvaluatedAt(at(90))
      .thenNothing();
  });

  it('evidence is every detractor answer of the run up to the moment the flag was raised', () => {
    given(nps('f1', 2, at(1)), nps('f2', 4, at(10)), nps('f3', 5, at(35)))
      .whenEvaluatedAt(at(40))
      .then(flagged(RULE, ['f1', 'f2'], at(31)));
  });

  it('clears when the customer uses the service, at the time of that visit', () => {
    given(nps('f1', 3, at(1)), flagged(RULE, ['f1'], at(31)), visit('v1', 'use', at(35)))
      .whenEvaluatedAt(at(36))
      .then(cleared(RULE, 'f1', at(35), 'use-stage visit to tp-use: v1'));
  });

  it('clears when a later NPS answer is no longer a detractor', () => {
    given(nps('f1', 3, at(1)), flagged(RULE, ['f1'], at(31)), nps('f2', 9, at(33)))
      .whenEvaluatedAt(at(40))
      .then(cleared(RULE, 'f1', at(33), 'later NPS answer 9 (promoter): f2'));
  });

  it('is never flagged twice in one episode', () => {
    given(nps('f1', 3, at(1)), flagged(RULE, ['f1'], at(31)), nps('f2', 1, at(33)))
      .whenEvaluatedAt(at(60))
      .thenNothing();
  });

  it('a new detractor answer after the episode ended starts a new episode', () => {
    given(
      nps('f1', 3, at(1)),
      flagged(RULE, ['f1'], at(31)),
      visit('v1', 'use', at(35)),
      cleared(RULE, 'f1', at(35), 'use-stage visit to tp-use: v1'),
      nps('f2', 5, at(40)),
    )
      .whenEvaluatedAt(at(70))
      .then(flagged(RULE, ['f2'], at(70)));
  });

  it('facts recorded late give the same flag and clear as facts followed live', () => {
    given(nps('f1', 3, at(1)), visit('v1', 'use', at(45)))
      .whenEvaluatedAt(at(50))
      .then(flagged(RULE, ['f1'], at(31)), cleared(RULE, 'f1', at(45), 'use-stage visit to tp-use: v1'));
  });

  it('honours the configured number of days', () => {
    const rules = [{ id: 'detractor-7d', kind: RULE, days: 7 } as const];
    given(nps('f1', 3, at(1)))
      .whenEvaluatedAt(at(8), rules)
      .then(flagged('detractor-7d', ['f1'], at(8), 'f1', 'Dissatisfied customer (NPS detractor) with no use of the service for 7 days'));
  });
});
