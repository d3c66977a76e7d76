import { derivedEventId } from '@journeyline/journey';
import type { SegmentMessage } from './segment-message';

/**
 * The eventIds of what a Segment message records, in Journeyline's derived-id namespace
 * (`segment <message> <what>`): a function of the client's messageId (`m:<messageId>`), or of the
 * message's content when it has none (`h:<digest>`), and of what is recorded. A resent message
 * therefore records nothing new, and no client can send an id that Journeyline derives.
 */
export function messageKey(message: Pick<SegmentMessage, 'messageId' | 'contentDigest'>): string {
  return message.messageId !== null ? `m:${message.messageId}` : `h:${message.contentDigest}`;
}

export function segmentEventId(message: Pick<SegmentMessage, 'messageId' | 'contentDigest'>, ...what: readonly string[]): string {
  return derivedEventId('segment', messageKey(message), ...what);
}
