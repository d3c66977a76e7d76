/** The work on a follow-up: assign, note, resolve with what was done; a resolved one is closed. */
import { answer, at, given, opened } from '@journeyline/journey/testing/follow-up-given-when-then';
import { followUpIdOf } from './follow-up-events';

const bad = answer('nps', 'a1', 2, at(1));
const followUpId = followUpIdOf('a1');
const open = opened(bad, 'detractor');
const assign = (assignee: string) => ({ type: 'AssignFollowUp' as const, eventId: `as-${assignee}`, at: at(2), assignee, by: 'lan' });
const note = { type: 'NoteFollowUp' as const, eventId: 'n1', at: at(3), note: 'Gọi lại, khách hẹn chiều mai', by: 'lan' };
const resolve = { type: 'ResolveFollowUp' as const, eventId: 'r1', at: at(4), outcome: 'refunded the fee', by: 'lan' };
const resolved = { type: 'FollowUpResolved' as const, eventId: 'r1', occurredAt: at(4), data: { followUpId, outcome: 'refunded the fee', by: 'lan' } };

describe('follow-ups: the work on one', () => {
  it('is assigned to someone', () => {
    given(open)
      .when(assign('minh'))
      .then({ type: 'FollowUpAssigned', eventId: 'as-minh', occurredAt: at(2), data: { followUpId, assignee: 'minh', by: 'lan' } });
  });

  it('assigning the one already assigned records nothing', () => {
    given(open, { type: 'FollowUpAssigned', eventId: 'as-minh', occurredAt: at(2), data: { followUpId, assignee: 'minh', by: 'lan' } })
      .when(assign('minh'))
      .then();
  });

  it('takes notes', () => {
    given(open)
      .when(note)
      .then({ type: 'FollowUpNoted', eventId: 'n1', occurredAt: at(3), data: { followUpId, note: note.note, by: 'lan' } });
  });

  it('is resolved with what was done', () => {
    given(open).when(resolve).then(resolved);
  });

  it('cannot be resolved twice', () => {
    given(open, resolved).when(resolve).thenThrows('follow-up-already-resolved');
  });

  it('a resolved one is closed to assigning and notes too', () => {
    given(open, resolved).when(assign('minh')).thenThrows('follow-up-already-resolved');
    given(open, resolved).when(note).thenThrows('follow-up-already-resolved');
  });

  it('one that was never opened cannot be worked on', () => {
    given().when(resolve).thenThrows('follow-up-not-found');
  });
});
