import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { DuplicateEventIdError, EVENT_STORE, type EventStore, type NewEvent } from '@journeyline/event-store';
import { PersonalData } from '@journeyline/privacy';
import { CustomerStateCache, recordOrSetAside } from '@journeyline/recording';
import { SEGMENT_UNMAPPED_STREAM, type SegmentType, type UnmappedKind } from '@journeyline/segment';
import { EventsAppended } from '../../events/events-appended.event';
import { RecordSegmentMessagesCommand } from './record-segment-messages.command';

/** What a Segment client reads (`success`), and what a person debugging the source reads (the rest). */
export interface SegmentAnswer {
  success: true;
  /** Events recorded now, and events a resent message had recorded already. */
  stored: number;
  duplicates: number;
  /** Messages (or parts of them) a journey rule refused: not recorded, the rest of the request is. */
  setAside: { index: number; messageId: string | null; type: SegmentType; rule?: string; reason: string }[];
  /** What the mapping could not map (listed at GET /api/v1/sources/segment/unmapped). */
  unmapped: { index: number; messageId: string | null; kind: UnmappedKind; name: string; reason: string }[];
}

/**
 * Records through the write path every source shares (`recordOrSetAside`: personal data sealed,
 * journey rules decided, stage changes derived, one atomic append when nothing is refused), then
 * appends the unmapped messages' records to their own stream, and wakes the followers.
 */
@CommandHandler(RecordSegmentMessagesCommand)
export class RecordSegmentMessagesHandler implements ICommandHandler<RecordSegmentMessagesCommand, SegmentAnswer> {
  private readonly logger = new Logger('segment');
  /** Customers who sent messages lately are folded from their new events only. */
  private readonly states = new CustomerStateCache();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly eventBus: EventBus,
    private readonly personal: PersonalData,
  ) {}

  async execute(command: RecordSegmentMessagesCommand): Promise<SegmentAnswer> {
    const { commands, origins, earlier } = await this.withoutEarlier(command);
    const { unmapped } = command;
    const { recorded, setAside } = await recordOrSetAside(this.store, commands, { personal: this.personal, states: this.states });
    const fresh = recorded.filter((r) => r !== null && !r.duplicate).map((r) => r!.position);
    const unmappedAt = await this.appendUnmapped(unmapped.map((u) => u.record));
    const appended = [...fresh, ...unmappedAt];
    if (appended.length > 0) this.eventBus.publish(new EventsAppended(Math.max(...appended), appended.length));

    const answer: SegmentAnswer = {
      success: true,
      stored: fresh.length,
      duplicates: earlier + recorded.filter((r) => r !== null && r.duplicate).length,
      setAside: setAside.map((s) => {
        const message = origins[s.index];
        return { index: message.index, messageId: message.messageId, type: message.type, ...(s.rule ? { rule: s.rule } : {}), reason: s.detail };
      }),
      unmapped: unmapped.flatMap(({ message, items }) => items.map((item) => ({ index: message.index, messageId: message.messageId, ...item }))),
    };
    if (answer.setAside.length > 0) this.logger.warn({ msg: 'segment messages set aside by journey rules', setAside: answer.setAside });
    if (unmapped.length > 0) {
      this.logger.log({
        msg: 'segment messages not mapped',
        messages: unmapped.length,
        names: [...new Set(answer.unmapped.map((u) => `${u.kind} ${u.name}`))].slice(0, 20),
      });
    }
    return answer;
  }

  /**
   * A message is recorded once, by its messageId, as Segment's clients expect of a resend: what it
   * became when it first arrived stays, even when the mapping has changed since and would make it
   * something else under the same derived id (a retry across a restart with a new mapping is a
   * duplicate, not a refusal).
   */
  private async withoutEarlier({ commands, origins }: RecordSegmentMessagesCommand) {
    const stored = await this.store.findByEventIds([...new Set(commands.map((c) => c.eventId))]);
    if (stored.size === 0) return { commands, origins, earlier: 0 };
    const kept = commands.flatMap((c, i) => (stored.has(c.eventId) ? [] : [i]));
    return { commands: kept.map((i) => commands[i]), origins: kept.map((i) => origins[i]), earlier: commands.length - kept.length };
  }

  /**
   * One record per unmapped message, under an id derived from the message: those already stored
   * (a resent message) are left out; a concurrent resend storing one meanwhile is read again once.
   */
  private async appendUnmapped(records: readonly NewEvent[]): Promise<number[]> {
    const unique = [...new Map(records.map((r) => [r.eventId, r])).values()];
    for (let attempt = 1; unique.length > 0; attempt++) {
      const stored = await this.store.findByEventIds(unique.map((r) => r.eventId));
      const events = unique.filter((r) => !stored.has(r.eventId));
      if (events.length === 0) return [];
      try {
        const result = await this.store.append([{ streamId: SEGMENT_UNMAPPED_STREAM, expectedRevision: 'any', events }]);
        return result.events.filter((e) => !e.duplicate).map((e) => e.position);
      } catch (error) {
        if (!(error instanceof DuplicateEventIdError) || attempt >= 2) throw error;
      }
    }
    return [];
  }
}
