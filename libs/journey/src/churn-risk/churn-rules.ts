/**
 * Churn-risk rules are data, not code: operators tune them in a JSON/YAML file (see
 * churn-rules-config.ts) without a release. Each kind names one business signal and carries only
 * the parameters that signal needs, so a discriminated union keeps every evaluator total.
 *
 * Durations are fixed lengths (a day is 24 hours), not calendar days: a rule must mean the same
 * thing in every time zone the dashboard is viewed in.
 */
export const CHURN_RULE_KINDS = ['detractor-without-use', 'repeated-hard-effort', 'ticket-open-too-long', 'inactive-after-purchase'] as const;
export type ChurnRuleKind = (typeof CHURN_RULE_KINDS)[number];

/** Reason texts; `{days}`, `{count}` and `{hours}` are replaced by the rule's parameters. */
export interface ChurnRuleLabels {
  en: string;
  vi: string;
}

interface RuleBase<K extends ChurnRuleKind> {
  /** kebab-case, unique within a configuration: part of every flag's event id. */
  id: string;
  kind: K;
  labels?: ChurnRuleLabels;
  /** How much a flag of this rule weighs in the churn-risk list's priority (customer value × severity); default per kind. */
  severity?: number;
}

/** An NPS detractor (0-6) followed by no `use`-stage touchpoint visit for `days`. */
export interface DetractorWithoutUseRule extends RuleBase<'detractor-without-use'> {
  days: number;
}

/** `count` hard CES answers (bottom-two-box) within `days` of each other, no easy answer since. */
export interface RepeatedHardEffortRule extends RuleBase<'repeated-hard-effort'> {
  count: number;
  days: number;
}

/** A support ticket open for `hours` or longer. */
export interface TicketOpenTooLongRule extends RuleBase<'ticket-open-too-long'> {
  hours: number;
}

/** A customer who has purchased and then shows no activity at all for `days`. */
export interface InactiveAfterPurchaseRule extends RuleBase<'inactive-after-purchase'> {
  days: number;
}

export type ChurnRule = DetractorWithoutUseRule | RepeatedHardEffortRule | TicketOpenTooLongRule | InactiveAfterPurchaseRule;

/** The parameters of each kind, with their defaults: what the config validator accepts. */
export const CHURN_RULE_PARAMETERS: { [K in ChurnRuleKind]: Record<string, number> } = {
  'detractor-without-use': { days: 30 },
  'repeated-hard-effort': { count: 2, days: 14 },
  'ticket-open-too-long': { hours: 48 },
  'inactive-after-purchase': { days: 30 },
};

const DEFAULT_LABELS: Record<ChurnRuleKind, ChurnRuleLabels> = {
  'detractor-without-use': {
    en: 'Dissatisfied customer (NPS detractor) with no use of the service for {days} days',
    vi: 'Khách hàng không hài lòng (NPS thấp) và không sử dụng dịch vụ {days} ngày',
  },
  'repeated-hard-effort': {
    en: '{count} hard-effort answers (low CES) within {days} days',
    vi: '{count} lần đánh giá khó khăn (CES thấp) trong vòng {days} ngày',
  },
  'ticket-open-too-long': {
    en: 'Support ticket unresolved for more than {hours} hours',
    vi: 'Yêu cầu hỗ trợ chưa được giải quyết sau {hours} giờ',
  },
  'inactive-after-purchase': {
    en: 'No activity for {days} days after a purchase',
    vi: 'Không có hoạt động nào trong {days} ngày sau khi mua hàng',
  },
};

/** Default severities: a detractor who stopped using the service and a ticket left open weigh most. */
export const DEFAULT_CHURN_SEVERITY: Record<ChurnRuleKind, number> = {
  'detractor-without-use': 3,
  'ticket-open-too-long': 3,
  'repeated-hard-effort': 2,
  'inactive-after-purchase': 1,
};

export function churnRuleSeverity(rule: ChurnRule): number {
  return rule.severity ?? DEFAULT_CHURN_SEVERITY[rule.kind];
}

/** The reason texts of a rule in both languages, parameters filled in. */
export function churnRuleLabels(rule: ChurnRule): ChurnRuleLabels {
  const labels = rule.labels ?? DEFAULT_LABELS[rule.kind];
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = (rule as unknown as Record<string, unknown>)[name];
      return typeof value === 'number' ? String(value) : whole;
    });
  return { en: fill(labels.en), vi: fill(labels.vi) };
}

/**
 * The reason stored in a ChurnRiskFlagged event: English, because events are read by engineers
 * and integrations; the dashboard shows `churnRuleLabels(rule).vi` by rule id.
 */
export function churnRuleReason(rule: ChurnRule): string {
  return churnRuleLabels(rule).en;
}
