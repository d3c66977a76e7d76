import { randomUUID } from 'node:crypto';
import { ConflictException, Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, WrongExpectedRevisionError, type EventStore } from '@journeyline/event-store';
import {
  decideFollowUp,
  evolveFollowUp,
  foldFollowUp,
  FollowUpRuleViolation,
  readFollowUpEvent,
  type CustomerCommand,
  type FollowUpCommand,
  type FollowUpEvent,
} from '@journeyline/journey';
import { Followers } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { getFollowUp, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { EventsAppended } from '../../events/events-appended.event';
import { problem } from '../../http/problem';
import { unknownFollowUp } from '../unknown-follow-up';
import { UpdateFollowUpCommand } from './update-follow-up.command';

/** What an outcome reads as when the customer's data key is gone: the follow-up can still be closed. */
const ERASED_OUTCOME = 'resolved after the customer was erased';

/**
 * Reads the follow-up's stream, decides each change in turn (assign, note, resolve), appends them
 * together at the stream's revision (re-reading when another writer got there first), then waits
 * a moment for the read model so the answer shows the change (read-your-writes).
 */
@CommandHandler(UpdateFollowUpCommand)
export class UpdateFollowUpHandler implements ICommandHandler<UpdateFollowUpCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    private readonly personal: PersonalData,
    private readonly followers: Followers,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ followUpId, change, actor }: UpdateFollowUpCommand) {
    for (let attempt = 1; ; attempt++) {
      const stored = await this.store.readStream(followUpId);
      const history = stored.map(readFollowUpEvent).filter((e): e is FollowUpEvent => e !== null);
      let state = foldFollowUp(history);
      if (!state.exists || state.customerId === null) throw unknownFollowUp(followUpId);
      const at = new Date().toISOString();
      const [note, outcome] = await this.sealFor(state.customerId, [change.note, change.resolve?.outcome]);
      if (change.note !== undefined && note === null)
        throw new ConflictException(
          problem(409, "the customer's personal data was erased: a note about them can no longer be kept", [{ field: 'note', reason: 'customer erased' }]),
        );
      const commands: FollowUpCommand[] = [];
      if (change.assignee !== undefined) commands.push({ type: 'AssignFollowUp', eventId: randomUUID(), at, assignee: change.assignee, by: actor.name });
      if (note) commands.push({ type: 'NoteFollowUp', eventId: randomUUID(), at, note, by: actor.name });
      if (change.resolve) commands.push({ type: 'ResolveFollowUp', eventId: randomUUID(), at, outcome: outcome ?? ERASED_OUTCOME, by: actor.name });
      const events: FollowUpEvent[] = [];
      try {
        for (const command of commands) {
          for (const event of decideFollowUp(command, state)) {
            events.push(event);
            state = evolveFollowUp(state, event);
          }
        }
      } catch (error) {
        if (error instanceof FollowUpRuleViolation && error.rule === 'follow-up-already-resolved')
          throw new ConflictException(problem(409, `the follow-up is already resolved`, [{ field: 'id', reason: error.rule }]));
        throw error;
      }
      if (events.length > 0) {
        try {
          const result = await this.store.append([
            {
              streamId: followUpId,
              expectedRevision: stored[stored.length - 1].revision,
              events: events.map((e) => ({ eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, data: { ...e.data } })),
            },
          ]);
          const position = Math.max(...result.events.map((e) => e.position));
          this.eventBus.publish(new EventsAppended(position, result.events.length));
          await this.followers.projector.waitFor(position);
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError && attempt < 5) continue;
          throw error;
        }
      }
      return getFollowUp(this.db.reader, followUpId);
    }
  }

  /**
   * Seals each text with the customer's data key through the one path comments take (so an
   * erasure erases them too); null for a text whose customer was erased (no key to seal with).
   */
  private async sealFor(customerId: string, texts: readonly (string | undefined)[]): Promise<(string | null | undefined)[]> {
    const carriers: CustomerCommand[] = texts.map((text, index) => ({
      type: 'RecordFeedback',
      eventId: `follow-up-text-${index}`,
      customerId,
      occurredAt: new Date().toISOString(),
      data: { kind: 'comment', comment: text ?? '' },
    }));
    const sealed = await this.personal.sealCommands(carriers.filter((_, index) => texts[index] !== undefined));
    let next = 0;
    return texts.map((text) => {
      if (text === undefined) return undefined;
      const data = sealed[next++].data as { comment?: string };
      return typeof data.comment === 'string' ? data.comment : null;
    });
  }
}
