import type { FollowUpAssigned, FollowUpEvent, FollowUpNoted, FollowUpResolved, FollowUpStatus } from './follow-up-events';

/**
 * The work on one follow-up, as a decider: assign it, note what was said, resolve it with what was
 * done. A resolved follow-up is closed: every further command is refused (409 at the API), so
 * two people resolving at once record one resolution.
 */
export interface FollowUpState {
  exists: boolean;
  followUpId: string | null;
  customerId: string | null;
  status: FollowUpStatus | null;
  assignee: string | null;
}

export type FollowUpCommand =
  | { type: 'AssignFollowUp'; eventId: string; at: string; assignee: string; by: string }
  | { type: 'NoteFollowUp'; eventId: string; at: string; note: string; by: string }
  | { type: 'ResolveFollowUp'; eventId: string; at: string; outcome: string; by: string };

export type FollowUpRule = 'follow-up-not-found' | 'follow-up-already-resolved';

export class FollowUpRuleViolation extends Error {
  constructor(
    readonly rule: FollowUpRule,
    message: string,
  ) {
    super(message);
    this.name = 'FollowUpRuleViolation';
  }
}

export function initialFollowUpState(): FollowUpState {
  return { exists: false, followUpId: null, customerId: null, status: null, assignee: null };
}

export function evolveFollowUp(state: FollowUpState, event: FollowUpEvent): FollowUpState {
  switch (event.type) {
    case 'FollowUpOpened':
      return state.exists ? state : { exists: true, followUpId: event.data.followUpId, customerId: event.data.customerId, status: 'open', assignee: null };
    case 'FollowUpAssigned':
      return state.status === 'resolved' ? state : { ...state, status: 'assigned', assignee: event.data.assignee };
    case 'FollowUpNoted':
      return state;
    case 'FollowUpResolved':
      return { ...state, status: 'resolved' };
  }
}

export function foldFollowUp(events: readonly FollowUpEvent[]): FollowUpState {
  return events.reduce(evolveFollowUp, initialFollowUpState());
}

export function decideFollowUp(command: FollowUpCommand, state: FollowUpState): FollowUpEvent[] {
  if (!state.exists || state.followUpId === null) throw new FollowUpRuleViolation('follow-up-not-found', 'there is no such follow-up');
  const followUpId = state.followUpId;
  if (state.status === 'resolved') throw new FollowUpRuleViolation('follow-up-already-resolved', 'the follow-up is already resolved');
  switch (command.type) {
    case 'AssignFollowUp':
      if (state.assignee === command.assignee) return [];
      return [
        {
          type: 'FollowUpAssigned',
          eventId: command.eventId,
          occurredAt: command.at,
          data: { followUpId, assignee: command.assignee, by: command.by },
        } satisfies FollowUpAssigned,
      ];
    case 'NoteFollowUp':
      return [
        {
          type: 'FollowUpNoted',
          eventId: command.eventId,
          occurredAt: command.at,
          data: { followUpId, note: command.note, by: command.by },
        } satisfies FollowUpNoted,
      ];
    case 'ResolveFollowUp':
      return [
        {
          type: 'FollowUpResolved',
          eventId: command.eventId,
          occurredAt: command.at,
          data: { followUpId, outcome: command.outcome, by: command.by },
        } satisfies FollowUpResolved,
      ];
  }
}
