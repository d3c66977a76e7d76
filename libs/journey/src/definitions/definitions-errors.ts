/** One thing wrong with a change of definitions: the field (`csat.satisfiedMin.1-5`, `rules[0].days`) and why. */
export interface DefinitionIssue {
  field: string;
  reason: string;
}

export type DefinitionsRule =
  /** A parameter or rule is malformed or out of range (the issues name each). */
  | 'definitions-invalid'
  /** A time zone other than the one the day buckets are counted in: they would have to be rebuilt. */
  | 'time-zone-needs-rebuild'
  /** No version recorded yet: the configuration's is recorded first. */
  | 'definitions-not-recorded';

/** A change of metric parameters or churn-risk rules that breaks a rule; `rule` is stable kebab-case. */
export class DefinitionsRuleViolation extends Error {
  constructor(
    readonly rule: DefinitionsRule,
    readonly issues: readonly DefinitionIssue[],
  ) {
    super(issues.map((i) => `${i.field}: ${i.reason}`).join('; '));
    this.name = 'DefinitionsRuleViolation';
  }
}
