import type { Actor } from '@journeyline/access';

/** What a PATCH asks of a follow-up, in this order: assign it, add a note, resolve it with what was done. */
export interface FollowUpChange {
  assignee?: string;
  note?: string;
  resolve?: { outcome: string };
}

export class UpdateFollowUpCommand {
  constructor(
    readonly followUpId: string,
    readonly change: FollowUpChange,
    readonly actor: Actor,
  ) {}
}
