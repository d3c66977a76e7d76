/** What holds across rules: churn, reactivation, late and future facts, removed rules, determinism. */
import type { JourneyEvent } from '../journey-events';
import { decideChurnRisk } from './churn-risk-decider';
import { evaluateChurnRisk, traceChurnRisk } from './churn-risk-evaluator';
import { DEFAULT_CHURN_RULES } from './churn-rules-config';
import { given } from '@journeyline/journey/testing/churn-risk-given-when-then';
import {
  at,
  ces,
  churned,
  cleared,
  CUSTOMER,
  flagged,
  nps,
  purchase,
  reactivated,
  ticketOpened,
  ticketResolved,
  visit,
} from '@journeyline/journey/testing/churn-risk-fixtures';

describe('churn-risk episodes', () => {
  it('a churned customer is not evaluated: open flags clear at the churn, nothing new is flagged', () => {
    given(ticketOpened('o1', 't-1', at(1)), flagged('ticket-open-too-long', ['o1'], at(3)), churned('x1', at(5)), nps('f1', 0, at(6)))
      .whenEvaluatedAt(at(90))
      .then(cleared('ticket-open-too-long', 'o1', at(5), 'customer churned'));
  });

  it('a reactivated customer is evaluated again; a ticket still open is a new episode from the reactivation', () => {
    given(
      ticketOpened('o1', 't-1', at(1)),
      flagged('ticket-open-too-long', ['o1'], at(3)),
      churned('x1', at(5)),
      cleared('ticket-open-too-long', 'o1', at(5), 'customer churned'),
      reactivated('r1', at(10)),
    )
      .whenEvaluatedAt(at(11))
      .then(flagged('ticket-open-too-long', ['o1'], at(10), 'o1@r1'));
  });

  it('several rules flag independently, in time order', () => {
    given(nps('f1', 2, at(1)), ces('e1', 1, at(2)), ces('e2', 1, at(3)), ticketOpened('o1', 't-1', at(4)))
      .whenEvaluatedAt(at(40))
      .then(
        flagged('repeated-hard-effort', ['e1', 'e2'], at(3)),
        flagged('ticket-open-too-long', ['o1'], at(6)),
        flagged('detractor-without-use', ['f1'], at(31)),
      );
  });

  it('facts dated after now are not known yet', () => {
    given(ticketOpened('o1', 't-1', at(1)), ticketResolved('r1', 't-1', at(1), at(20)))
      .whenEvaluatedAt(at(10))
      .then(flagged('ticket-open-too-long', ['o1'], at(3)));
  });

  it('a rule removed from the configuration clears its open flags at the evaluation time', () => {
    const rules = DEFAULT_CHURN_RULES.filter((r) => r.id !== 'ticket-open-too-long');
    given(ticketOpened('o1', 't-1', at(1)), flagged('ticket-open-too-long', ['o1'], at(3)))
      .whenEvaluatedAt(at(10), rules)
      .then(cleared('ticket-open-too-long', 'o1', at(10), 'rule no longer configured'));
  });

  it('a late fact that rewrites the past clears the flag it undermined, never before the flag itself', () => {
    // The use visit on day 20 arrived after the flag on day 31 was raised.
    given(nps('f1', 3, at(1)), flagged('detractor-without-use', ['f1'], at(31)), visit('v1', 'use', at(20)))
      .whenEvaluatedAt(at(40))
      .then(cleared('detractor-without-use', 'f1', at(31), 'condition no longer holds'));
  });

  it('deciding step by step as time passes gives the same events as deciding once at the end', () => {
    const facts: JourneyEvent[] = [
      purchase('p1', at(1)),
      nps('f1', 4, at(2)),
      ticketOpened('o1', 't-1', at(3)),
      ticketResolved('r1', 't-1', at(3), at(8)),
      ces('e1', 2, at(9)),
      ces('e2', 1, at(12)),
      ces('e3', 7, at(20)),
      visit('v1', 'use', at(50)),
    ];
    const once = decideChurnRisk(CUSTOMER, facts, traceChurnRisk(facts, DEFAULT_CHURN_RULES, new Date(at(60))));
    let history = [...facts];
    for (let day = 1; day <= 60; day++) {
      history = [...history, ...decideChurnRisk(CUSTOMER, history, traceChurnRisk(history, DEFAULT_CHURN_RULES, new Date(at(day))))];
    }
    const stepped = history.slice(facts.length);
    expect(stepped).toEqual(once);
    expect(once.map((e) => `${e.type} ${e.data.rule} ${e.occurredAt.slice(0, 10)}`)).toEqual([
      'ChurnRiskFlagged ticket-open-too-long 2026-11-05',
      'ChurnRiskCleared ticket-open-too-long 2026-11-08',
      'ChurnRiskFlagged repeated-hard-effort 2026-11-12',
      'ChurnRiskCleared repeated-hard-effort 2026-11-20',
      'ChurnRiskFlagged detractor-without-use 2026-12-02',
      'ChurnRiskCleared detractor-without-use 2026-12-20',
    ]);
    // Silence after the last answer ended, to the minute, with the visit on day 50: no episode; the next one is due on day 80.
    expect(decideChurnRisk(CUSTOMER, history, traceChurnRisk(history, DEFAULT_CHURN_RULES, new Date(at(80))))).toEqual([
      expect.objectContaining({ type: 'ChurnRiskFlagged', data: expect.objectContaining({ rule: 'inactive-after-purchase', evidence: ['p1', 'v1'] }) }),
    ]);
  });

  it('orders facts by occurredAt, ties by revision, whatever order they are given in', () => {
    const detractor = nps('f1', 3, at(1));
    const use = visit('v1', 'use', at(1));
    // Same instant: the visit recorded after the answer ends the run at once; recorded before, it does not.
    expect(
      evaluateChurnRisk(
        [
          { ...use, revision: 2 },
          { ...detractor, revision: 1 },
        ],
        DEFAULT_CHURN_RULES,
        new Date(at(40)),
      ),
    ).toEqual([]);
    expect(
      evaluateChurnRisk(
        [
          { ...detractor, revision: 2 },
          { ...use, revision: 1 },
        ],
        DEFAULT_CHURN_RULES,
        new Date(at(40)),
      ),
    ).toEqual([
      {
        rule: 'detractor-without-use',
        key: 'f1',
        evidence: ['f1'],
        reason: 'Dissatisfied customer (NPS detractor) with no use of the service for 30 days',
        since: at(31),
      },
    ]);
  });
});

describe('evaluating churn risk', () => {
  it('lists the conditions that hold now with their evidence, reason and start', () => {
    const facts = [purchase('p1', at(1)), ticketOpened('o1', 't-1', at(2))];
    expect(evaluateChurnRisk(facts, DEFAULT_CHURN_RULES, new Date(at(5)))).toEqual([
      { rule: 'ticket-open-too-long', key: 'o1', evidence: ['o1'], reason: 'Support ticket unresolved for more than 48 hours', since: at(4) },
    ]);
  });

  it('tells when a time-based condition could next begin', () => {
    const facts = [purchase('p1', at(1)), ticketOpened('o1', 't-1', at(2)), nps('f1', 3, at(2))];
    expect(traceChurnRisk(facts, DEFAULT_CHURN_RULES, new Date(at(3))).nextCheckAt).toBe(at(4));
    expect(traceChurnRisk(facts, DEFAULT_CHURN_RULES, new Date(at(5))).nextCheckAt).toBe(at(32));
  });

  it('a fact dated in the future is a reason to look again when it comes due', () => {
    expect(traceChurnRisk([visit('v1', 'awareness', at(9))], DEFAULT_CHURN_RULES, new Date(at(3))).nextCheckAt).toBe(at(9));
  });

  it('a churned customer needs no timed look', () => {
    const trace = traceChurnRisk([purchase('p1', at(1)), churned('x1', at(2))], DEFAULT_CHURN_RULES, new Date(at(3)));
    expect(trace).toMatchObject({ churnedAt: at(2), nextCheckAt: null, spans: [] });
  });
});
