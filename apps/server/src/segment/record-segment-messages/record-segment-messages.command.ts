import type { CustomerCommand } from '@journeyline/journey';
import type { SegmentMessage, UnmappedMessage } from '@journeyline/segment';

/**
 * Record what a Segment request's messages became: their customer commands (one atomic append
 * where the journey rules allow; refused ones are set aside), and the unmapped ones in their stream.
 */
export class RecordSegmentMessagesCommand {
  constructor(
    readonly commands: CustomerCommand[],
    /** The message each command comes from. */
    readonly origins: SegmentMessage[],
    readonly unmapped: UnmappedMessage[],
  ) {}
}
