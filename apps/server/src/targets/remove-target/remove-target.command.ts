import type { Actor } from '@journeyline/access';

/** Remove a target: its open alert closes at the next evaluation. */
export class RemoveTargetCommand {
  constructor(
    readonly targetId: string,
    readonly actor: Actor,
  ) {}
}
