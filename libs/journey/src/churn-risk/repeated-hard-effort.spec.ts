/** The hard-effort rule: which CES answers count, the window, and why only an easy answer ends it. */
import { given } from '@journeyline/journey/testing/churn-risk-given-when-then';
import { at, ces, cleared, flagged } from '@journeyline/journey/testing/churn-risk-fixtures';

const RULE = 'repeated-hard-effort';

describe('churn risk: two hard-effort CES answers within 14 days', () => {
  it('is flagged at the second hard answer, with both answers as evidence', () => {
    given(ces('e1', 1, at(1)), ces('e2', 2, at(10)))
      .whenEvaluatedAt(at(10))
      .then(flagged(RULE, ['e1', 'e2'], at(10)));
  });

  it('hard means 1-2 on the 1-5 scale too', () => {
    given(ces('e1', 2, at(1), '1-5'), ces('e2', 1, at(3), '1-5'))
      .whenEvaluatedAt(at(20))
      .then(flagged(RULE, ['e1', 'e2'], at(3)));
  });

  it('is not flagged when the hard answers are more than 14 days apart', () => {
    given(ces('e1', 1, at(1)), ces('e2', 1, at(15, 10)))
      .whenEvaluatedAt(at(30))
      .thenNothing();
  });

  it('14 days apart exactly is within 14 days', () => {
    given(ces('e1', 1, at(1)), ces('e2', 1, at(15)))
      .whenEvaluatedAt(at(30))
      .then(flagged(RULE, ['e1', 'e2'], at(15)));
  });

  it('neutral answers neither count nor break the run', () => {
    given(ces('e1', 2, at(1)), ces('e2', 4, at(2)), ces('e3', 5, at(3)), ces('e4', 1, at(4)))
      .whenEvaluatedAt(at(5))
      .then(flagged(RULE, ['e1', 'e4'], at(4)));
  });

  it('an easy answer between the hard ones starts the count again', () => {
    given(ces('e1', 1, at(1)), ces('e2', 7, at(2)), ces('e3', 1, at(3)))
      .whenEvaluatedAt(at(5))
      .thenNothing();
  });

  it('the earliest pair that fits the window is the evidence', () => {
    given(ces('e1', 1, at(1)), ces('e2', 2, at(20)), ces('e3', 1, at(25)))
      .whenEvaluatedAt(at(26))
      .then(flagged(RULE, ['e2', 'e3'], at(25)));
  });

  it('clears at the next easy answer', () => {
    given(ces('e1', 1, at(1)), ces('e2', 2, at(10)), flagged(RULE, ['e1', 'e2'], at(10)), ces('e3', 6, at(12)))
      .whenEvaluatedAt(at(13))
      .then(cleared(RULE, 'e1', at(12), 'easy CES answer 6 on 1-7: e3'));
  });

  it('more hard answers neither clear nor flag again', () => {
    given(ces('e1', 1, at(1)), ces('e2', 2, at(10)), flagged(RULE, ['e1', 'e2'], at(10)), ces('e3', 1, at(29)), ces('e4', 1, at(30)))
      .whenEvaluatedAt(at(60))
      .thenNothing();
  });

  it('hard answers after an easy one start a new episode', () => {
    given(
      ces('e1', 1, at(1)),
      ces('e2', 2, at(10)),
      flagged(RULE, ['e1', 'e2'], at(10)),
      ces('e3', 7, at(12)),
      cleared(RULE, 'e1', at(12), 'easy CES answer 7 on 1-7: e3'),
      ces('e4', 2, at(20)),
      ces('e5', 1, at(21)),
    )
      .whenEvaluatedAt(at(22))
      .then(flagged(RULE, ['e4', 'e5'], at(21)));
  });

  it('honours the configured count and window', () => {
    const rules = [{ id: 'three-hard', kind: RULE, count: 3, days: 7 } as const];
    given(ces('e1', 1, at(1)), ces('e2', 1, at(3)))
      .whenEvaluatedAt(at(4), rules)
      .thenNothing();
    given(ces('e1', 1, at(1)), ces('e2', 1, at(3)), ces('e3', 2, at(8)))
      .whenEvaluatedAt(at(9), rules)
      .then(flagged('three-hard', ['e1', 'e2', 'e3'], at(8), 'e1', '3 hard-effort answers (low CES) within 7 days'));
  });
});
