import type { WireEventType } from '@journeyline/journey';

/** What the unmapped list groups by: the kind of message and the name someone would map. */
export const UNMAPPED_KINDS = ['track', 'page', 'screen', 'identify', 'group'] as const;
export type UnmappedKind = (typeof UNMAPPED_KINDS)[number];

/** Something of a message the mapping could not turn into an event: names and reasons only, never values. */
export interface UnmappedItem {
  kind: UnmappedKind;
  /** The event, page or screen name, or the trait's name. */
  name: string;
  reason: string;
}

/** A wire event a message becomes, before the wire format's checks. */
export interface WireDraft {
  /** The derived eventId it is recorded under. */
  eventId: string;
  type: WireEventType;
  customerId: string;
  data: Record<string, unknown>;
  /** Data fields left out, rather than the event refused, when the wire format refuses them. */
  optional: readonly string[];
  /** What the unmapped list calls it if the wire format refuses it. */
  subject: Pick<UnmappedItem, 'kind' | 'name'>;
  /** Recorded instead when this one is refused: the raw touchpoint, when a stage can be had. */
  fallback?: WireDraft;
}

export interface MessageTranslation {
  drafts: WireDraft[];
  unmapped: UnmappedItem[];
}

/** Items per message at most: a message with ten thousand traits is still one short record. */
export const MAX_ITEMS_PER_MESSAGE = 20;
const SHOWN_NAME_LENGTH = 200;
const NOT_SHOWABLE = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A name as the unmapped list keeps it: printable, well-formed, at most 200 characters. */
export function shownName(name: string): string {
  const clean = name.replace(NOT_SHOWABLE, '\ufffd');
  if (clean.length <= SHOWN_NAME_LENGTH) return clean;
  // never cut a surrogate pair in two
  return `${clean.slice(0, SHOWN_NAME_LENGTH - 1).replace(/[\ud800-\udbff]$/, '')}…`;
}

export function unmappedItem(kind: UnmappedKind, name: string, reason: string): UnmappedItem {
  return { kind, name: shownName(name), reason };
}
