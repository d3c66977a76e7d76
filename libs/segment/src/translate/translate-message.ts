import { segmentEventId } from '../messages/segment-event-ids';
import type { SegmentMessage } from '../messages/segment-message';
import type { SegmentMapping } from '../mapping/segment-mapping';
import { translatePage } from './translate-page';
import { translateTrack } from './translate-track';
import { translateTraits } from './translate-traits';
import { MAX_ITEMS_PER_MESSAGE, type MessageTranslation, type WireDraft } from './translation';

/**
 * One Segment message → the wire events it records (drafts, before the wire format's checks) and
 * what of it is unmapped. `userId`, else `anonymousId`, is the customer. Identity: a message that
 * names both a userId and an anonymousId also records `customer.merged` (the anonymous visitor
 * joins the known customer), and `alias` records `previousId` joining `userId`; a merge already in
 * place records nothing, so sending one with every message is safe.
 */
export function translateMessage(message: SegmentMessage, mapping: SegmentMapping): MessageTranslation {
  const customerId = (message.userId ?? message.anonymousId)!;
  const merges: WireDraft[] = [];
  const joining = message.type === 'alias' ? [message.previousId, message.anonymousId] : [message.anonymousId];
  for (const from of joining) {
    if (from && message.userId && from !== message.userId && !merges.some((m) => m.data.from === from)) merges.push(merge(message, message.userId, from));
  }
  const own = ownTranslation(message, customerId, mapping);
  return { drafts: [...merges, ...own.drafts], unmapped: own.unmapped.slice(0, MAX_ITEMS_PER_MESSAGE) };
}

function ownTranslation(message: SegmentMessage, customerId: string, mapping: SegmentMapping): MessageTranslation {
  switch (message.type) {
    case 'track':
      return translateTrack(message, customerId, mapping);
    case 'page':
    case 'screen':
      return translatePage(message, message.type, customerId, mapping);
    case 'identify':
      return translateTraits(message, 'identify', customerId, mapping.identify);
    case 'group':
      return translateTraits(message, 'group', customerId, mapping.group);
    case 'alias':
      return { drafts: [], unmapped: [] };
  }
}

function merge(message: SegmentMessage, into: string, from: string): WireDraft {
  return {
    eventId: segmentEventId(message, 'customer.merged', from),
    type: 'customer.merged',
    customerId: into,
    data: { from },
    optional: [],
    subject: { kind: message.type === 'alias' || message.type === 'identify' ? 'identify' : message.type, name: '(merge)' },
  };
}
