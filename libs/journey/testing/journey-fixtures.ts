import type { CustomerCommand } from '@journeyline/journey/customer-commands';
import type { JourneyEvent } from '@journeyline/journey/journey-events';
import type { Stage } from '@journeyline/journey/stages';
import { stageChangeEventId } from '@journeyline/journey/derived-ids';

/** Small builders so specs show only what matters to the rule. */
export const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();

export const visitCmd = (eventId: string, stage: Stage, when: string, touchpoint = `tp-${stage}`, channel = 'web'): CustomerCommand => ({
  type: 'RecordTouchpointVisit',
  eventId,
  customerId: 'c-1',
  occurredAt: when,
  data: { touchpoint, channel, stage },
});

export const visited = (eventId: string, stage: Stage, when: string, touchpoint = `tp-${stage}`, channel = 'web'): JourneyEvent => ({
  type: 'TouchpointVisited',
  eventId,
  occurredAt: when,
  data: { touchpoint, channel, stage },
});

export const entered = (
  causeId: string,
  stage: Stage,
  from: Stage | null,
  when: string,
  timeInPreviousStageMs: number | null,
  touchpoint?: string,
): JourneyEvent => ({
  type: 'StageEntered',
  eventId: stageChangeEventId(causeId),
  occurredAt: when,
  data: { stage, from, timeInPreviousStageMs, causationId: causeId, ...(touchpoint ? { touchpoint } : {}) },
});

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
