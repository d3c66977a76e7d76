import { isStage, type Stage } from '@journeyline/journey';
import { segmentEventId } from '../messages/segment-event-ids';
import type { SegmentMessage } from '../messages/segment-message';
import { DEFAULT_CHANNELS, type SegmentMapping } from '../mapping/segment-mapping';
import { asText } from './property-values';
import type { WireDraft } from './translation';

/** A message's own say on where it belongs: its `stage` property (the default mapping), else the mapping's defaults.stage. */
export interface RawTouchpoint {
  /** The touchpoint to record, when a stage can be had. */
  draft?: WireDraft;
  /** The message's stage property names a journey stage: the default mapping maps it, nothing to list. */
  byConvention: boolean;
  /** Why it is listed as unmapped (when not by convention). */
  reason: string;
}

/**
 * The touchpoint a track, page or screen is recorded as when no rule maps it (or its rule cannot):
 * its name as the touchpoint, its `stage` and `channel` properties, else the mapping's defaults and
 * the kind's default channel. Never dropped silently: without any stage it is only listed.
 */
export function rawTouchpoint(
  message: SegmentMessage,
  kind: keyof typeof DEFAULT_CHANNELS,
  name: string,
  customerId: string,
  mapping: SegmentMapping,
): RawTouchpoint {
  const property = Object.prototype.hasOwnProperty.call(message.properties, 'stage') ? message.properties.stage : undefined;
  const stated = isStage(property) ? property : undefined;
  const stage: Stage | undefined = stated ?? mapping.defaults.stage;
  const what = `no rule maps this ${kind}`;
  const missing = property === undefined || property === null ? 'it has no stage property' : 'its stage property is not a journey stage';
  const reason = stated
    ? ''
    : stage
      ? `${what} and ${missing}: recorded as a raw touchpoint at defaults.stage (${stage})`
      : `${what} and ${missing}: not recorded; add a rule, a stage property or defaults.stage`;
  if (!stage) return { byConvention: false, reason };
  const channelProperty = Object.prototype.hasOwnProperty.call(message.properties, 'channel') ? asText(message.properties.channel) : undefined;
  const channel = channelProperty ?? (kind === 'track' ? mapping.defaults.channel : undefined) ?? DEFAULT_CHANNELS[kind];
  return {
    byConvention: stated !== undefined,
    reason,
    draft: {
      eventId: segmentEventId(message, 'touchpoint.visited'),
      type: 'touchpoint.visited',
      customerId,
      data: { touchpoint: name, channel, stage },
      optional: [],
      subject: { kind, name },
    },
  };
}
