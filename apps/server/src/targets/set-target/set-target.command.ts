import type { Actor } from '@journeyline/access';
import type { TargetRequest } from '@journeyline/journey';

/** Set a target for a metric and scope (replacing the one already set for them). */
export class SetTargetCommand {
  constructor(
    readonly request: TargetRequest,
    readonly actor: Actor,
  ) {}
}
