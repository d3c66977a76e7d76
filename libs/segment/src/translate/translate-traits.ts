import { segmentEventId } from '../messages/segment-event-ids';
import type { SegmentMessage } from '../messages/segment-message';
import { PORTRAIT_TRAITS, type TraitMap } from '../mapping/segment-mapping';
import { asText, firstPresent } from './property-values';
import { MAX_ITEMS_PER_MESSAGE, unmappedItem, type MessageTranslation, type UnmappedItem } from './translation';

/**
 * `identify` traits (or `group` traits) → `customer.profiled`: each portrait field the mapping
 * names is filled from the first of its trait paths that is present. Traits that fill nothing are
 * listed as unmapped by name (never their values), so someone can map them; a group call whose
 * traits fill nothing is listed too.
 */
export function translateTraits(message: SegmentMessage, kind: 'identify' | 'group', customerId: string, map: TraitMap): MessageTranslation {
  const data: Record<string, string> = {};
  const used = new Set<string>();
  const unmapped: UnmappedItem[] = [];
  for (const field of PORTRAIT_TRAITS) {
    const paths = map[field];
    if (!paths) continue;
    const found = firstPresent(message.traits, paths);
    if (!found) continue;
    used.add(found.path[0]);
    const value = asText(found.value);
    if (value === undefined) unmapped.push(unmappedItem(kind, found.path.join('.'), `trait for ${field} is not text: left out`));
    else data[field] = value;
  }
  const names = Object.keys(message.traits).filter((name) => !used.has(name));
  for (const name of names.slice(0, MAX_ITEMS_PER_MESSAGE - unmapped.length)) {
    unmapped.push(unmappedItem(kind, name, 'no portrait field is filled from this trait'));
  }
  if (kind === 'group' && Object.keys(data).length === 0 && names.length === 0 && unmapped.length === 0) {
    unmapped.push(unmappedItem('group', '(group without traits)', 'a group call whose traits fill no portrait field: nothing recorded'));
  }
  if (Object.keys(data).length === 0) return { drafts: [], unmapped };
  return {
    drafts: [
      {
        eventId: segmentEventId(message, 'customer.profiled'),
        type: 'customer.profiled',
        customerId,
        data,
        optional: Object.keys(data),
        subject: { kind, name: Object.keys(data).join(', ') },
      },
    ],
    unmapped,
  };
}
