import type { Actor } from '@journeyline/access';
import type { ChurnRulesEntry } from '../definitions-answers';

/** Replaces the churn-risk rules (`{"rules": [...]}` or a bare list, as a rules file holds them). */
export class ChangeChurnRulesCommand {
  constructor(
    readonly rules: unknown,
    readonly actor: Actor,
  ) {}
}

/** The version in force after the request; `changed` is false when the same rules were already in force. */
export interface ChurnRulesChangedAnswer extends ChurnRulesEntry {
  changed: boolean;
}
