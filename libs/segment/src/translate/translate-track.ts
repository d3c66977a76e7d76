import { FEEDBACK_KINDS, isStage, SCALES, type FeedbackKind, type Scale } from '@journeyline/journey';
import { segmentEventId } from '../messages/segment-event-ids';
import type { SegmentMessage } from '../messages/segment-message';
import { matchesPattern } from '../mapping/name-pattern';
import { DEFAULT_CHANNELS, TARGET_SOURCES, type PropertyPath, type SegmentMapping, type TrackRule, type TrackTarget } from '../mapping/segment-mapping';
import { asNumber, asScore, asText, firstPresent, keptProperties } from './property-values';
import { rawTouchpoint } from './raw-touchpoint';
import { unmappedItem, type MessageTranslation } from './translation';

/**
 * A `track`: the first rule whose event pattern matches says what it records (a touchpoint,
 * feedback, a ticket, a purchase, churn). When no rule matches, or the matching rule cannot be
 * applied (a property it needs is missing), the event is recorded as a raw touchpoint with its name
 * when a stage can be had, and listed as unmapped either way, unless its own `stage` property
 * places it (the default mapping).
 */
export function translateTrack(message: SegmentMessage, customerId: string, mapping: SegmentMapping): MessageTranslation {
  const name = message.event!;
  const raw = rawTouchpoint(message, 'track', name, customerId, mapping);
  const rule = mapping.track.find((r) => matchesPattern(r.event, name));
  if (!rule) {
    return { drafts: raw.draft ? [raw.draft] : [], unmapped: raw.byConvention ? [] : [unmappedItem('track', name, raw.reason)] };
  }
  const built = recordOf(rule, message, name, mapping);
  if ('missing' in built) {
    const then = raw.draft ? `recorded as a raw touchpoint at ${String(raw.draft.data.stage)}` : 'not recorded';
    return {
      drafts: raw.draft ? [raw.draft] : [],
      unmapped: [unmappedItem('track', name, `the rule on line ${rule.line} cannot apply: ${built.missing}; ${then}`)],
    };
  }
  return {
    drafts: [
      {
        eventId: segmentEventId(message, rule.as),
        type: rule.as,
        customerId,
        data: built.data,
        optional: OPTIONAL[rule.as],
        subject: { kind: 'track', name },
        ...(raw.draft ? { fallback: raw.draft } : {}),
      },
    ],
    unmapped: [],
  };
}

/** Fields left out rather than the event refused when the wire format finds them wrong. */
const OPTIONAL: Readonly<Record<TrackTarget, readonly string[]>> = {
  'touchpoint.visited': ['properties'],
  'feedback.given': ['comment', 'touchpoint', 'channel', 'stage'],
  'ticket.opened': ['subject', 'touchpoint', 'channel'],
  'ticket.resolved': [],
  'purchase.made': [],
  'customer.churned': ['reason'],
  'customer.reactivated': [],
};

type Built = { data: Record<string, unknown> } | { missing: string };

/**
 * A field's value: the rule's `from` property (explicit), else its literal, else the property the
 * target reads by default (`order_id`, `score`, ...).
 */
function sourceOf(rule: TrackRule, message: SegmentMessage, field: string): unknown {
  const explicit = rule.from[field];
  const stated = explicit ? firstPresent(message.properties, explicit) : undefined;
  if (stated) return stated.value;
  const fixed = (rule.fixed as Record<string, unknown>)[field];
  if (fixed !== undefined) return fixed;
  const implicit: PropertyPath[] = (TARGET_SOURCES[rule.as][field] ?? []).map((property) => [property]);
  return firstPresent(message.properties, implicit)?.value;
}

function recordOf(rule: TrackRule, message: SegmentMessage, name: string, mapping: SegmentMapping): Built {
  const text = (field: string) => asText(sourceOf(rule, message, field));
  const optionalText = (data: Record<string, unknown>, ...fields: string[]) => {
    for (const field of fields) {
      const value = text(field);
      if (value !== undefined) data[field] = value;
    }
    return data;
  };
  switch (rule.as) {
    case 'touchpoint.visited': {
      const stage = sourceOf(rule, message, 'stage') ?? mapping.defaults.stage;
      if (!isStage(stage))
        return { missing: stage === undefined ? 'it gives no stage and the event has no stage property' : 'its stage is not a journey stage' };
      const data: Record<string, unknown> = {
        touchpoint: text('touchpoint') ?? name,
        channel: text('channel') ?? mapping.defaults.channel ?? DEFAULT_CHANNELS.track,
        stage,
      };
      const kept = keptProperties(message.properties, rule.keep);
      if (kept) data.properties = kept;
      return { data };
    }
    case 'feedback.given': {
      const kind = text('kind');
      if (!isOneOf(kind, FEEDBACK_KINDS)) return { missing: `its kind is not one of ${FEEDBACK_KINDS.join(', ')}` };
      if (kind === 'comment') {
        // a comment (a message, a mention) has no score: its text is what it is
        const data = optionalText({ kind }, 'comment', 'touchpoint', 'channel');
        return typeof data.comment === 'string' ? { data } : { missing: 'the comment property is missing' };
      }
      const score = asScore(sourceOf(rule, message, 'score'));
      if (score === undefined) return { missing: 'the score property is missing or not a number' };
      const scale = text('scale');
      if (scale !== undefined && !isOneOf(scale, SCALES)) return { missing: `its scale is not one of ${SCALES.join(', ')}` };
      const data: Record<string, unknown> = { kind: kind satisfies FeedbackKind, score, ...(scale ? { scale: scale satisfies Scale } : {}) };
      const stage = sourceOf(rule, message, 'stage');
      if (isStage(stage)) data.stage = stage;
      return { data: optionalText(data, 'comment', 'touchpoint', 'channel') };
    }
    case 'ticket.opened':
    case 'ticket.resolved': {
      const ticketId = text('ticketId');
      if (ticketId === undefined) return { missing: 'the ticket id property is missing' };
      return { data: rule.as === 'ticket.opened' ? optionalText({ ticketId }, 'subject', 'touchpoint', 'channel') : { ticketId } };
    }
    case 'purchase.made': {
      const orderId = text('orderId');
      const amount = asNumber(sourceOf(rule, message, 'amount'));
      if (orderId === undefined) return { missing: 'the order id property is missing' };
      if (amount === undefined) return { missing: 'the amount property is missing or not a number' };
      const currency = text('currency');
      return { data: { orderId, amount, ...(currency !== undefined ? { currency: currency.length === 3 ? currency.toUpperCase() : currency } : {}) } };
    }
    case 'customer.churned':
      return { data: optionalText({}, 'reason') };
    case 'customer.reactivated':
      return { data: {} };
  }
}

function isOneOf<T extends string>(value: string | undefined, allowed: readonly T[]): value is T {
  return value !== undefined && (allowed as readonly string[]).includes(value);
}
