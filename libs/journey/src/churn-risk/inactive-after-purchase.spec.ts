/** The silent-buyer rule: silence counts from the latest activity, and each silence is its own episode. */
import { given } from '@journeyline/journey/testing/churn-risk-given-when-then';
import { at, cleared, flagged, profiled, purchase, visit } from '@journeyline/journey/testing/churn-risk-fixtures';

const RULE = 'inactive-after-purchase';

describe('churn risk: no activity for 30 days after a purchase', () => {
  it('is flagged 30 days after a purchase with nothing since, with the purchase as evidence', () => {
    given(visit('v1', 'choice', at(1)), purchase('p1', at(2)))
      .whenEvaluatedAt(at(40))
      .then(flagged(RULE, ['p1'], at(32)));
  });

  it('a customer who never purchased is not flagged for silence', () => {
    given(visit('v1', 'evaluation', at(1)))
      .whenEvaluatedAt(at(90))
      .thenNothing();
  });

  it('counts silence from the latest activity after the purchase', () => {
    given(purchase('p1', at(2)), visit('v1', 'use', at(10)))
      .whenEvaluatedAt(at(45))
      .then(flagged(RULE, ['p1', 'v1'], at(40), 'v1'));
  });

  it('any later activity clears it', () => {
    given(purchase('p1', at(2)), flagged(RULE, ['p1'], at(32)), profiled('c1', at(35)))
      .whenEvaluatedAt(at(36))
      .then(cleared(RULE, 'p1', at(35), 'activity after 30 days without any: CustomerProfiled c1'));
  });

  it('a new silence after the activity is a new episode', () => {
    given(
      purchase('p1', at(2)),
      flagged(RULE, ['p1'], at(32)),
      visit('v1', 'use', at(35)),
      cleared(RULE, 'p1', at(35), 'activity after 30 days without any: TouchpointVisited v1'),
    )
      .whenEvaluatedAt(at(70))
      .then(flagged(RULE, ['p1', 'v1'], at(65), 'v1'));
  });

  it('is never flagged twice in one silence', () => {
    given(purchase('p1', at(2)), flagged(RULE, ['p1'], at(32)))
      .whenEvaluatedAt(at(100))
      .thenNothing();
  });
});
