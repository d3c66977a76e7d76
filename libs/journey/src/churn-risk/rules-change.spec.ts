/** What a change of the churn-risk rules raises and clears: past flags are never rewritten, every new event names the version. */
import { givenHistory as given, rulesVersion } from '@journeyline/journey/testing/definitions-given-when-then';
import { at, CUSTOMER, nps, ticketOpened, ticketResolved, flagged as unversionedFlag } from '@journeyline/journey/testing/churn-risk-fixtures';
import { churnRiskClearedEventId, churnRiskEpisodeId, ruleChangedReason, RULE_REMOVED_REASON, type ChurnRiskEvent } from './churn-risk-decider';
import { DEFAULT_CHURN_RULES } from './churn-rules-config';
import { churnRuleReason, type ChurnRule } from './churn-rules';

const RULE = 'ticket-open-too-long';
const defaults = [...DEFAULT_CHURN_RULES];
const hours = (h: number): ChurnRule[] => defaults.map((r) => (r.id === RULE ? ({ id: RULE, kind: RULE, hours: h } as ChurnRule) : r));

/** A flag raised under rules version `version`; `revision`: the version at which the rule took the definition that raised it (none: its first). */
const flagged = (rule: string, key: string, when: string, version: number, revision?: number, reason = reasonOf(rule, version)): ChurnRiskEvent => {
  const episodeId = churnRiskEpisodeId(CUSTOMER, rule, key, revision);
  return { type: 'ChurnRiskFlagged', eventId: episodeId, occurredAt: when, data: { rule, reason, evidence: [key], episodeId, rulesVersion: version } };
};
const cleared = (rule: string, key: string, when: string, reason: string, version: number, revision?: number): ChurnRiskEvent => {
  const episodeId = churnRiskEpisodeId(CUSTOMER, rule, key, revision);
  return { type: 'ChurnRiskCleared', eventId: churnRiskClearedEventId(episodeId), occurredAt: when, data: { rule, reason, episodeId, rulesVersion: version } };
};
const reasonOf = (rule: string, version: number) => churnRuleReason((version === 1 ? defaults : hours(24)).find((r) => r.id === rule)!);

const v1 = rulesVersion(1, defaults);
const v2 = rulesVersion(2, hours(24), 'api', defaults);

describe('churn-risk rules changed', () => {
  it('a flag names the rules version that raised it; a rule first defined keeps the plain episode id', () => {
    given(ticketOpened('o1', 't-1', at(1)))
      .whenEvaluatedAt(at(5), [v1])
      .then(flagged(RULE, 'o1', at(3), 1));
    expect(churnRiskEpisodeId(CUSTOMER, RULE, 'o1')).toBe(unversionedFlag(RULE, ['o1'], at(3)).eventId);
  });

  it('a stricter rule raises what it now holds, under the new version, in an episode of its own', () => {
    given(ticketOpened('o1', 't-1', at(1)))
      .whenEvaluatedAt(at(2, 12), [v1, v2])
      .then(flagged(RULE, 'o1', at(2), 2, 2));
  });

  it('a flag the new rule still holds stays open (nothing is written), and is cleared under the new version when it ends', () => {
    const history = [ticketOpened('o1', 't-1', at(1)), flagged(RULE, 'o1', at(3), 1)];
    given(...history)
      .whenEvaluatedAt(at(5), [v1, v2])
      .thenNothing();
    given(...history, ticketResolved('r1', 't-1', at(1), at(6)))
      .whenEvaluatedAt(at(7), [v1, v2])
      .then(cleared(RULE, 'o1', at(6), 'ticket t-1 resolved: r1', 2));
  });

  it('a looser rule clears at once what it does not hold, saying the rule changed, and raises it anew when it does', () => {
    const v3 = rulesVersion(3, defaults, 'api', defaults);
    const history = [ticketOpened('o1', 't-1', at(1)), flagged(RULE, 'o1', at(2), 2, 2)];
    given(...history)
      .whenEvaluatedAt(at(2, 12), [v1, v2, v3])
      .then(cleared(RULE, 'o1', at(2, 12), ruleChangedReason(3), 3, 2));
    given(...history, cleared(RULE, 'o1', at(2, 12), ruleChangedReason(3), 3, 2))
      .whenEvaluatedAt(at(3, 12), [v1, v2, v3])
      .then(flagged(RULE, 'o1', at(3), 3, 3, reasonOf(RULE, 1)));
  });

  it("other rules' flags are untouched by a change that is not theirs", () => {
    given(nps('f1', 2, at(1)), flagged('detractor-without-use', 'f1', at(31), 1))
      .whenEvaluatedAt(at(40), [v1, v2])
      .thenNothing();
  });

  it('a rule removed clears its open flags under the version that removed it', () => {
    const v3 = rulesVersion(
      3,
      defaults.filter((r) => r.id !== RULE),
      'api',
      defaults,
    );
    given(ticketOpened('o1', 't-1', at(1)), flagged(RULE, 'o1', at(3), 1))
      .whenEvaluatedAt(at(5), [v1, v3])
      .then(cleared(RULE, 'o1', at(5), RULE_REMOVED_REASON, 3));
  });

  it('flags raised before rules were versioned are recognised: the same episode, never raised twice', () => {
    given(ticketOpened('o1', 't-1', at(1)), unversionedFlag(RULE, ['o1'], at(3)))
      .whenEvaluatedAt(at(5), [v1])
      .thenNothing();
  });
});
