import { STAGES, type Stage } from './stages';

/**
 * The touchpoint catalog: what the business says a touchpoint is (display names in Vietnamese and
 * English, its channel, its home stage, the team that owns it, the experience it serves), as
 * opposed to what events say about it. The five experience types are Schmitt's strategic
 * experiential modules, as the source material names them: sense (giác quan), feel (cảm xúc),
 * think (tư duy), act (hành động), relate (liên kết).
 */
export const EXPERIENCE_TYPES = ['sense', 'feel', 'think', 'act', 'relate'] as const;
export type ExperienceType = (typeof EXPERIENCE_TYPES)[number];

export const EXPERIENCE_TYPE_LABELS: Record<ExperienceType, { en: string; vi: string }> = {
  sense: { en: 'Sense', vi: 'Giác quan' },
  feel: { en: 'Feel', vi: 'Cảm xúc' },
  think: { en: 'Think', vi: 'Tư duy' },
  act: { en: 'Act', vi: 'Hành động' },
  relate: { en: 'Relate', vi: 'Liên kết' },
};

/** Every change to a touchpoint's definition is one of these, in the `journeyline-touchpoints` stream. */
export const TOUCHPOINTS_STREAM = 'journeyline-touchpoints';
export const TOUCHPOINT_REGISTERED = 'TouchpointRegistered';

/** The key metrics are grouped under for touchpoints nobody registered (by experience type or owner). */
export const UNCLASSIFIED = 'unclassified';

export interface TouchpointDefinition {
  touchpoint: string;
  names: { vi: string; en: string };
  channel: string;
  stage: Stage;
  owner: string;
  experienceType: ExperienceType;
}

/** The data of a `TouchpointRegistered` event: the whole definition, its version (1, 2, ...) and who registered it. */
export interface TouchpointRegistered extends TouchpointDefinition {
  version: number;
  registeredBy: string;
}

export interface TouchpointIssue {
  field: string;
  reason: string;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const FIELDS = ['names', 'channel', 'stage', 'owner', 'experienceType'];

const own = (record: Record<string, unknown>, key: string): unknown => (Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined);

/** Null when `value` is a text of 1 to `max` characters without control characters (and well-formed); else why not. */
function textProblem(value: unknown, field: string, max: number): string | null {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) return `${field} must be a text of 1 to ${max} characters`;
  if (CONTROL.test(value) || LONE_SURROGATE.test(value)) return `${field} must not contain control characters or lone surrogates`;
  return null;
}

/** The touchpoint id of a path or a command: as an event's `touchpoint` is (1-200 characters, no control characters). */
export function touchpointIdProblem(touchpoint: unknown): TouchpointIssue | null {
  const reason = textProblem(touchpoint, 'touchpoint', 200);
  return reason === null ? null : { field: 'touchpoint', reason };
}

/**
 * A registration as a request asks for it, checked field by field (own properties only, so
 * `__proto__` or `constructor` are unknown fields, never read): names {vi, en} of 1-200
 * characters, a channel of 1-200, a stage of the journey, an owner team of 1-100 and one of the
 * experience types. Every issue found is named.
 */
export function checkTouchpointRegistration(touchpoint: unknown, input: unknown): { definition: TouchpointDefinition } | { issues: TouchpointIssue[] } {
  const issues: TouchpointIssue[] = [];
  const idProblem = touchpointIdProblem(touchpoint);
  if (idProblem) issues.push(idProblem);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    issues.push({ field: 'body', reason: 'the body must be {"names": {"vi", "en"}, "channel", "stage", "owner", "experienceType"}' });
    return { issues };
  }
  const body = input as Record<string, unknown>;
  for (const key of Object.keys(body)) if (!FIELDS.includes(key)) issues.push({ field: key.slice(0, 64), reason: `unknown field ${key.slice(0, 64)}` });
  const names = own(body, 'names');
  if (typeof names !== 'object' || names === null || Array.isArray(names)) {
    issues.push({ field: 'names', reason: 'names must be {"vi": "...", "en": "..."}' });
  } else {
    const record = names as Record<string, unknown>;
    for (const key of Object.keys(record))
      if (key !== 'vi' && key !== 'en') issues.push({ field: `names.${key.slice(0, 64)}`, reason: 'names holds vi and en only' });
    for (const lang of ['vi', 'en'] as const) {
      const reason = textProblem(own(record, lang), `names.${lang}`, 200);
      if (reason) issues.push({ field: `names.${lang}`, reason });
    }
  }
  const channelProblem = textProblem(own(body, 'channel'), 'channel', 200);
  if (channelProblem) issues.push({ field: 'channel', reason: channelProblem });
  const stage = own(body, 'stage');
  if (!(STAGES as readonly unknown[]).includes(stage)) issues.push({ field: 'stage', reason: `stage must be one of ${STAGES.join(', ')}` });
  const ownerProblem = textProblem(own(body, 'owner'), 'owner', 100);
  if (ownerProblem) issues.push({ field: 'owner', reason: ownerProblem });
  const experienceType = own(body, 'experienceType');
  if (!(EXPERIENCE_TYPES as readonly unknown[]).includes(experienceType))
    issues.push({ field: 'experienceType', reason: `experienceType must be one of ${EXPERIENCE_TYPES.join(', ')}` });
  if (issues.length > 0) return { issues };
  const { vi, en } = names as { vi: string; en: string };
  return {
    definition: {
      touchpoint: touchpoint as string,
      names: { vi, en },
      channel: own(body, 'channel') as string,
      stage: stage as Stage,
      owner: own(body, 'owner') as string,
      experienceType: experienceType as ExperienceType,
    },
  };
}

/**
 * The decider of a touchpoint's definition: given its latest registration (null: never
 * registered), a definition becomes version 1, a changed one the next version, and the same
 * definition again records nothing (a PUT repeated is not a change).
 */
export function registerTouchpoint(latest: TouchpointRegistered | null, definition: TouchpointDefinition, registeredBy: string): TouchpointRegistered[] {
  if (latest !== null && sameDefinition(latest, definition)) return [];
  return [{ ...definition, version: (latest?.version ?? 0) + 1, registeredBy }];
}

function sameDefinition(a: TouchpointDefinition, b: TouchpointDefinition): boolean {
  return (
    a.touchpoint === b.touchpoint &&
    a.names.vi === b.names.vi &&
    a.names.en === b.names.en &&
    a.channel === b.channel &&
    a.stage === b.stage &&
    a.owner === b.owner &&
    a.experienceType === b.experienceType
  );
}

/** A stored `TouchpointRegistered`'s data read back by own property; null when it is not one. */
export function readTouchpointRegistered(data: unknown): TouchpointRegistered | null {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return null;
  const record = data as Record<string, unknown>;
  const { touchpoint, version, registeredBy } = {
    touchpoint: own(record, 'touchpoint'),
    version: own(record, 'version'),
    registeredBy: own(record, 'registeredBy'),
  };
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || typeof registeredBy !== 'string') return null;
  const fields: Record<string, unknown> = {};
  for (const key of FIELDS) fields[key] = own(record, key);
  const checked = checkTouchpointRegistration(touchpoint, fields);
  return 'definition' in checked ? { ...checked.definition, version, registeredBy } : null;
}
