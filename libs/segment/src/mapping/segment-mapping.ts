import type { FeedbackKind, Scale, Stage } from '@journeyline/journey';
import type { NamePattern } from './name-pattern';

/**
 * What the mapping file (JOURNEYLINE_SEGMENT_MAPPING) says, validated: how Segment messages become
 * Journeyline's wire events. Applied at ingest, so a change applies to what arrives after it.
 * Rules are tried in the order written; the first that matches a message is used.
 */
export interface SegmentMapping {
  /** Where a message no rule maps still has a place (a raw touchpoint), and the channel of tracks that name none. */
  defaults: { stage?: Stage; channel?: string };
  track: TrackRule[];
  page: PageRule[];
  screen: PageRule[];
  /** Portrait field → the trait paths that fill it (the first present wins). */
  identify: TraitMap;
  group: TraitMap;
}

export const PORTRAIT_TRAITS = ['name', 'email', 'phone', 'segment', 'region', 'ageBand', 'gender', 'acquisitionChannel'] as const;
export type PortraitTrait = (typeof PORTRAIT_TRAITS)[number];
export type TraitMap = Partial<Record<PortraitTrait, PropertyPath[]>>;

/** `a.b.c`: own properties of nested objects, never through a prototype. */
export type PropertyPath = readonly string[];

/** What a track rule records: the wire type. */
export const TRACK_TARGETS = [
  'touchpoint.visited',
  'feedback.given',
  'ticket.opened',
  'ticket.resolved',
  'purchase.made',
  'customer.churned',
  'customer.reactivated',
] as const;
export type TrackTarget = (typeof TRACK_TARGETS)[number];

/** Literal values a rule may give, by the wire field they fill. */
export interface FixedValues {
  touchpoint?: string;
  channel?: string;
  stage?: Stage;
  kind?: FeedbackKind;
  scale?: Scale;
  currency?: string;
  reason?: string;
}

export interface TrackRule {
  /** The line of the rule in the mapping file, for the log. */
  line: number;
  event: NamePattern;
  as: TrackTarget;
  fixed: FixedValues;
  /** Wire field → the property paths it is read from (the first present wins); the target's defaults fill the rest. */
  from: Partial<Record<string, PropertyPath[]>>;
  /** Properties copied onto a touchpoint (none by default: properties may hold personal data, and touchpoint properties are not sealed). */
  keep: string[];
}

export interface PageRule {
  line: number;
  /** Every matcher given must match: the page's (or screen's) name, its path, its URL. */
  name?: NamePattern;
  path?: NamePattern;
  url?: NamePattern;
  fixed: Pick<FixedValues, 'touchpoint' | 'channel' | 'stage'>;
  from: Partial<Record<'touchpoint' | 'channel' | 'stage', PropertyPath[]>>;
  keep: string[];
}

/** Wire fields each target may read from properties, and the properties they are read from when the rule says nothing. */
export const TARGET_SOURCES: Readonly<Record<TrackTarget, Readonly<Record<string, readonly string[]>>>> = {
  'touchpoint.visited': { touchpoint: [], channel: ['channel'], stage: ['stage'] },
  'feedback.given': { kind: [], score: ['score'], scale: ['scale'], comment: ['comment'], touchpoint: [], channel: [], stage: [] },
  'ticket.opened': { ticketId: ['ticket_id', 'ticketId'], subject: ['subject'], touchpoint: [], channel: [] },
  'ticket.resolved': { ticketId: ['ticket_id', 'ticketId'] },
  'purchase.made': { orderId: ['order_id', 'orderId'], amount: ['total', 'revenue', 'amount'], currency: ['currency'] },
  'customer.churned': { reason: ['reason'] },
  'customer.reactivated': {},
};

/** Literal fields each target accepts. */
export const TARGET_FIXED: Readonly<Record<TrackTarget, readonly (keyof FixedValues)[]>> = {
  'touchpoint.visited': ['touchpoint', 'channel', 'stage'],
  'feedback.given': ['kind', 'scale', 'touchpoint', 'channel', 'stage'],
  'ticket.opened': ['touchpoint', 'channel'],
  'ticket.resolved': [],
  'purchase.made': ['currency'],
  'customer.churned': ['reason'],
  'customer.reactivated': [],
};

/** Channels when neither a rule nor the message names one. */
export const DEFAULT_CHANNELS = { track: 'segment', page: 'web', screen: 'app' } as const;

/**
 * With no mapping file: a track's event name is its touchpoint, its stage and channel are read from
 * its properties; a page's name (or path) likewise, channel web (a screen's: app); identify traits
 * named as the portrait's fields fill it; group traits fill nothing.
 */
export const BUILT_IN_MAPPING: SegmentMapping = {
  defaults: {},
  track: [],
  page: [],
  screen: [],
  identify: Object.fromEntries(PORTRAIT_TRAITS.map((field) => [field, [[field]]])) as TraitMap,
  group: {},
};
