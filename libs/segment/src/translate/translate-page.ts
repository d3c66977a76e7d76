import { isStage } from '@journeyline/journey';
import { segmentEventId } from '../messages/segment-event-ids';
import type { SegmentMessage } from '../messages/segment-message';
import { matchesPattern, type NamePattern } from '../mapping/name-pattern';
import { DEFAULT_CHANNELS, type SegmentMapping } from '../mapping/segment-mapping';
import { asText, firstPresent, isPlainObject, keptProperties, readPath } from './property-values';
import { rawTouchpoint } from './raw-touchpoint';
import { unmappedItem, type MessageTranslation } from './translation';

/**
 * A `page` (or `screen`): the first rule whose name, path and URL patterns all match says which
 * touchpoint, channel and stage it is. The page's path and URL are its `path`/`url` properties (as
 * analytics.js sends them), else `context.page`. With no rule, its name (else its path, else its
 * URL) is the touchpoint, channel web (a screen's: app), and it is placed by its `stage` property
 * or the mapping's defaults.stage; otherwise it is listed as unmapped.
 */
export function translatePage(message: SegmentMessage, kind: 'page' | 'screen', customerId: string, mapping: SegmentMapping): MessageTranslation {
  const name = message.name;
  const page = isPlainObject(message.context.page) ? message.context.page : {};
  const path = kind === 'page' ? (asText(readPath(message.properties, ['path'])) ?? asText(readPath(page, ['path']))) : undefined;
  const url = kind === 'page' ? (asText(readPath(message.properties, ['url'])) ?? asText(readPath(page, ['url']))) : undefined;
  const label = name ?? path ?? url;
  const rule = mapping[kind].find((r) => matches(r.name, name) && matches(r.path, path) && matches(r.url, url));
  if (!rule) {
    if (label === undefined || label === null) {
      return {
        drafts: [],
        unmapped: [unmappedItem(kind, `(${kind} without a name${kind === 'page' ? ', path or url' : ''})`, 'nothing names it: not recorded')],
      };
    }
    const raw = rawTouchpoint(message, kind, label, customerId, mapping);
    return { drafts: raw.draft ? [raw.draft] : [], unmapped: raw.byConvention ? [] : [unmappedItem(kind, label, raw.reason)] };
  }
  const value = (field: 'touchpoint' | 'channel' | 'stage'): unknown => {
    const stated = rule.from[field] ? firstPresent(message.properties, rule.from[field]) : undefined;
    return stated?.value ?? rule.fixed[field];
  };
  const touchpoint = asText(value('touchpoint')) ?? label ?? undefined;
  const stage = value('stage') ?? readPath(message.properties, ['stage']) ?? mapping.defaults.stage;
  const problem =
    touchpoint === undefined
      ? 'it gives no touchpoint and the page has no name'
      : !isStage(stage)
        ? 'it gives no stage and the page has no stage property'
        : null;
  if (problem !== null)
    return { drafts: [], unmapped: [unmappedItem(kind, label ?? `(${kind} without a name)`, `the rule on line ${rule.line} cannot apply: ${problem}`)] };
  const data: Record<string, unknown> = { touchpoint, channel: asText(value('channel')) ?? DEFAULT_CHANNELS[kind], stage };
  const kept = keptProperties(message.properties, rule.keep);
  if (kept) data.properties = kept;
  return {
    drafts: [
      {
        eventId: segmentEventId(message, 'touchpoint.visited'),
        type: 'touchpoint.visited',
        customerId,
        data,
        optional: ['properties'],
        subject: { kind, name: label ?? touchpoint! },
      },
    ],
    unmapped: [],
  };
}

/** A rule's matcher holds when it is absent, or when the page has that part and it matches. */
function matches(pattern: NamePattern | undefined, value: string | null | undefined): boolean {
  return pattern === undefined || (typeof value === 'string' && matchesPattern(pattern, value));
}
