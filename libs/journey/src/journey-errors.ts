/**
 * A command that breaks a journey rule. `rule` is a stable kebab-case name that clients, the API
 * (422) and the Kafka dead-letter headers report.
 */
export class JourneyRuleViolation extends Error {
  constructor(
    readonly rule: JourneyRule,
    message: string,
  ) {
    super(message);
    this.name = 'JourneyRuleViolation';
  }
}

export type JourneyRule =
  | 'feedback-scale-not-allowed'
  | 'feedback-score-outside-scale'
  | 'comment-has-no-score'
  | 'comment-without-text'
  | 'survey-link-answered'
  | 'ticket-already-opened'
  | 'ticket-never-opened'
  | 'ticket-already-resolved'
  | 'ticket-resolved-before-opened'
  | 'purchase-amount-negative'
  | 'order-already-recorded'
  | 'customer-already-churned'
  | 'customer-not-churned'
  | 'merge-into-itself'
  | 'customer-not-merged';
