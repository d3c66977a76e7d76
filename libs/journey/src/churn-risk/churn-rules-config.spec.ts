/** The rules file: what an operator may write, and the errors they get when it is wrong. */
import { ChurnRulesConfigError, churnRulesFormatOf, DEFAULT_CHURN_RULES, parseChurnRules } from './churn-rules-config';
import { churnRuleLabels } from './churn-rules';

const issuesOf = (text: string, format: 'json' | 'yaml' = 'json'): readonly string[] => {
  try {
    parseChurnRules(text, format);
  } catch (error) {
    if (error instanceof ChurnRulesConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected the rules to be rejected');
};

describe('churn rules configuration', () => {
  it('defaults to the four rules with their default parameters', () => {
    expect(DEFAULT_CHURN_RULES).toEqual([
      { id: 'detractor-without-use', kind: 'detractor-without-use', days: 30 },
      { id: 'repeated-hard-effort', kind: 'repeated-hard-effort', count: 2, days: 14 },
      { id: 'ticket-open-too-long', kind: 'ticket-open-too-long', hours: 48 },
      { id: 'inactive-after-purchase', kind: 'inactive-after-purchase', days: 30 },
    ]);
  });

  it('reads YAML, filling parameters left out with their defaults', () => {
    const yaml = `
rules:
  - id: vip-ticket-slow
    kind: ticket-open-too-long
    hours: 8
    labels:
      en: VIP ticket open more than {hours} hours
      vi: Yêu cầu của khách VIP chưa xử lý sau {hours} giờ
  - id: silent-buyer
    kind: inactive-after-purchase
`;
    const rules = parseChurnRules(yaml, 'yaml');
    expect(rules).toEqual([
      {
        id: 'vip-ticket-slow',
        kind: 'ticket-open-too-long',
        hours: 8,
        labels: { en: 'VIP ticket open more than {hours} hours', vi: 'Yêu cầu của khách VIP chưa xử lý sau {hours} giờ' },
      },
      { id: 'silent-buyer', kind: 'inactive-after-purchase', days: 30 },
    ]);
    expect(churnRuleLabels(rules[0])).toEqual({ en: 'VIP ticket open more than 8 hours', vi: 'Yêu cầu của khách VIP chưa xử lý sau 8 giờ' });
    expect(churnRuleLabels(rules[1]).vi).toBe('Không có hoạt động nào trong 30 ngày sau khi mua hàng');
  });

  it('reads JSON, as an object with rules or a bare list', () => {
    const rule = { id: 'hard-effort', kind: 'repeated-hard-effort', count: 3, days: 7 };
    expect(parseChurnRules(JSON.stringify({ rules: [rule] }), 'json')).toEqual([rule]);
    expect(parseChurnRules(JSON.stringify([rule]), 'json')).toEqual([rule]);
    expect(parseChurnRules('{"rules": []}', 'json')).toEqual([]);
  });

  it('names the rule index and field of every problem at once', () => {
    expect(
      issuesOf(
        JSON.stringify({
          rules: [
            { id: 'ok', kind: 'detractor-without-use' },
            { id: 'bad-days', kind: 'inactive-after-purchase', days: 1.5 },
            { id: 'Not Kebab', kind: 'ticket-open-too-long', hours: 0 },
          ],
        }),
      ),
    ).toEqual([
      'rules[1].days must be a whole number ≥ 1',
      'rules[2].id must be a kebab-case name such as "ticket-open-too-long"',
      'rules[2].hours must be a whole number ≥ 1',
    ]);
  });

  it('rejects unknown kinds, unknown fields, duplicate ids and half-given labels', () => {
    expect(
      issuesOf(
        `
rules:
  - { id: a, kind: nps-drop }
  - { id: b, kind: detractor-without-use, day: 7 }
  - { id: c, kind: repeated-hard-effort, count: "2" }
  - { id: c, kind: ticket-open-too-long }
  - { id: d, kind: ticket-open-too-long, labels: { en: Slow ticket } }
`,
        'yaml',
      ),
    ).toEqual([
      'rules[0].kind must be one of detractor-without-use, repeated-hard-effort, ticket-open-too-long, inactive-after-purchase',
      'rules[1].day is not a field of detractor-without-use rules (fields: id, kind, labels, severity, days)',
      'rules[2].count must be a whole number ≥ 1',
      'rules[3].id "c" is already used by rules[2]; rule ids must be unique',
      'rules[4].labels.vi must be a non-empty text',
    ]);
  });

  it('rejects a document that is not a list of rules, and text that does not parse', () => {
    expect(issuesOf('{"rule": []}')).toEqual(['rule is not a field of the rules file (expected: rules)', 'rules must be a list of rules']);
    expect(issuesOf('rules: [1]', 'yaml')).toEqual(['rules[0] must be an object with id and kind']);
    expect(issuesOf('{"rules": [')[0]).toMatch(/^not valid JSON: /);
    expect(issuesOf('rules: [ {id: a', 'yaml')[0]).toMatch(/^not valid YAML: /);
  });

  it('the format follows the file name', () => {
    expect(churnRulesFormatOf('config/churn-rules.yml')).toBe('yaml');
    expect(churnRulesFormatOf('churn-rules.YAML')).toBe('yaml');
    expect(churnRulesFormatOf('churn-rules.json')).toBe('json');
    expect(() => churnRulesFormatOf('churn-rules.toml')).toThrow(ChurnRulesConfigError);
  });
});
