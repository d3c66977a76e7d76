import type { Actor } from '@journeyline/access';
import type { MetricDefinitionsEntry } from '../definitions-answers';

/** Changes the metric parameters: the fields given, merged over the version in force (checked by the domain, field by field). */
export class ChangeMetricDefinitionsCommand {
  constructor(
    readonly parameters: unknown,
    readonly actor: Actor,
  ) {}
}

/** The version in force after the request; `changed` is false when the same parameters were already in force. */
export interface MetricDefinitionsChangedAnswer extends MetricDefinitionsEntry {
  changed: boolean;
}
