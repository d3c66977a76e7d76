import { BadRequestException } from '@nestjs/common';
import { readSegmentRequest, segmentCommands, type SegmentMapping, type SegmentRoute } from '@journeyline/segment';
import type { JourneylineConfig } from '@journeyline/platform';
import { problem } from '../../http/problem';
import { RecordSegmentMessagesCommand } from './record-segment-messages.command';

/**
 * A Segment request body → the command that records it, or a 400 naming every bad field
 * (`batch[3].userId`): Segment's clients do not retry a 400, and nothing of the request is stored.
 */
export function segmentCommand(route: SegmentRoute, body: unknown, mapping: SegmentMapping, config: JourneylineConfig): RecordSegmentMessagesCommand {
  const request = readSegmentRequest(route, body);
  if (!request.ok) throw new BadRequestException(problem(400, request.message, request.errors));
  const translated = segmentCommands(request.messages, mapping, { timeZone: config.timeZone, receivedAt: new Date(), limits: config.wireLimits });
  if (translated.errors.length > 0) {
    throw new BadRequestException(problem(400, `${translated.errors[0].reason}; nothing was stored`, translated.errors));
  }
  return new RecordSegmentMessagesCommand(translated.commands, translated.origins, translated.unmapped);
}
