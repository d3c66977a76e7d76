import { givenChurnRules as given, rulesVersion } from '@journeyline/journey/testing/definitions-given-when-then';
import { DEFAULT_CHURN_RULES } from '../churn-risk/churn-rules-config';
import type { ChurnRule } from '../churn-risk/churn-rules';
import { churnRuleRevisions, readChurnRulesChanged, type ChurnRulesCommand } from './churn-rules-versions';

const defaults = [...DEFAULT_CHURN_RULES];
const slowTicket: ChurnRule = { id: 'ticket-open-too-long', kind: 'ticket-open-too-long', hours: 24 };
const withSlowTicket = defaults.map((r) => (r.id === slowTicket.id ? slowTicket : r));
const configure = (configured: readonly ChurnRule[] = defaults): ChurnRulesCommand => ({
  type: 'RecordConfiguredChurnRules',
  configured,
  changedBy: 'configuration',
});
const change = (rules: unknown, configured: readonly ChurnRule[] = defaults): ChurnRulesCommand => ({
  type: 'ChangeChurnRules',
  rules,
  changedBy: 'admin',
  configured,
});

describe('versioned churn-risk rules', () => {
  it('the configured rules are version 1 of a store that has none', () => {
    given().when(configure()).then(rulesVersion(1, defaults));
  });

  it('an unchanged configuration records nothing at the next start, and keeps what an admin changed', () => {
    given(rulesVersion(1, defaults)).when(configure()).thenNothing();
    given(rulesVersion(1, defaults), rulesVersion(2, withSlowTicket, 'api', defaults))
      .when(configure())
      .thenNothing();
  });

  it('an edited rules file is a new version at start', () => {
    given(rulesVersion(1, defaults), rulesVersion(2, withSlowTicket, 'api', defaults))
      .when(configure([slowTicket]))
      .then(rulesVersion(3, [slowTicket], 'configuration'));
  });

  it('a file edited to the rules already in force records nothing', () => {
    given(rulesVersion(1, defaults), rulesVersion(2, withSlowTicket, 'api', defaults))
      .when(configure(withSlowTicket))
      .thenNothing();
  });

  it("an admin's rules (the file's shape, or a bare list) are the next version; the same rules again record nothing", () => {
    given(rulesVersion(1, defaults))
      .when(change({ rules: [{ id: 'ticket-open-too-long', kind: 'ticket-open-too-long', hours: 24 }] }))
      .then(rulesVersion(2, [slowTicket], 'api', defaults));
    given(rulesVersion(1, defaults), rulesVersion(2, [slowTicket], 'api', defaults))
      .when(change([slowTicket]))
      .thenNothing();
  });

  it('an empty list turns the flags off: a version like any other', () => {
    given(rulesVersion(1, defaults))
      .when(change({ rules: [] }))
      .then(rulesVersion(2, [], 'api', defaults));
  });

  it('each bad rule field is named, as in a rules file', () => {
    given(rulesVersion(1, defaults))
      .when(change({ rules: [{ id: 'Bad Id', kind: 'ticket-open-too-long', hours: 0, colour: 'red' }] }))
      .thenThrows('definitions-invalid', 'rules[0].id', 'rules[0].colour', 'rules[0].hours');
    given(rulesVersion(1, defaults))
      .when(change({ rule: [] }))
      .thenThrows('definitions-invalid', 'rule', 'rules');
  });

  it('nothing can be changed before a version is recorded', () => {
    given().when(change([])).thenThrows('definitions-not-recorded');
  });

  it('a rule takes a new revision when its parameters change or it comes back, not for a new label or severity', () => {
    const relabelled = withSlowTicket.map((r) => (r.id === slowTicket.id ? { ...r, severity: 5, labels: { en: 'Slow', vi: 'Chậm' } } : r));
    const revisions = churnRuleRevisions([
      rulesVersion(1, defaults),
      rulesVersion(2, withSlowTicket),
      rulesVersion(3, relabelled),
      rulesVersion(
        4,
        defaults.filter((r) => r.id !== 'detractor-without-use'),
      ),
      rulesVersion(5, defaults),
    ]);
    expect(revisions.get('ticket-open-too-long')).toEqual([1, 2, 4]);
    expect(revisions.get('detractor-without-use')).toEqual([1, 5]);
    expect(revisions.get('inactive-after-purchase')).toEqual([1]);
  });

  it('a stored version reads back with its rules checked again', () => {
    expect(readChurnRulesChanged(JSON.parse(JSON.stringify(rulesVersion(2, [slowTicket], 'api', defaults))))).toEqual(
      rulesVersion(2, [slowTicket], 'api', defaults),
    );
    expect(readChurnRulesChanged({ ...rulesVersion(1, defaults), rules: [{ id: 'x', kind: 'nope' }] })).toBeNull();
  });
});
