import { derivedEventId } from './derived-ids';
import { FEEDBACK_KINDS, SCALES } from './feedback-scales';
import type { JourneyEventType, RecordedJourneyEvent } from './journey-events';
import { STAGES } from './stages';
import { customerIdOf } from './wire-types';

/**
 * The one conversion from a stored event to a domain event. Everything that folds the log (the
 * projections, the churn-risk process, the journey view, the outbound publisher) reads events
 * through it, so a malformed event (written below validation by another tool, a bug, or a hand
 * edit) is recognised in one place, with the reason, instead of breaking each reader in its own
 * way; and stored data is read by own properties only, never through a prototype.
 *
 * The result holds the known fields of its type only (a tolerant reader: fields added by a later
 * version are left out, not refused). It also upcasts what older versions stored: churn-risk
 * episode ids from before derived ids had their own namespace.
 */
export interface StoredFact {
  type: string;
  eventId: string;
  occurredAt: string;
  data: Record<string, unknown>;
  revision: number;
  streamId?: string;
  position?: number;
  recordedAt?: string;
}

export type FactCheck<T extends StoredFact> =
  | { ok: true; event: T & RecordedJourneyEvent }
  /** `knownType` false: a type this version does not know (not malformed, just not ours to read). */
  | { ok: false; reason: string; knownType: boolean };

export function isJourneyEventType(type: string): type is JourneyEventType {
  return READERS.has(type);
}

export function asJourneyEvent<T extends StoredFact>(stored: T): FactCheck<T> {
  const reader = READERS.get(stored.type);
  if (!reader) return { ok: false, reason: `unknown event type ${JSON.stringify(String(stored.type).slice(0, 100))}`, knownType: false };
  if (typeof stored.eventId !== 'string' || stored.eventId === '') return malformed('eventId must be a non-empty string');
  if (typeof stored.occurredAt !== 'string' || !Number.isFinite(Date.parse(stored.occurredAt))) return malformed('occurredAt must be an ISO 8601 instant');
  const raw = stored.data;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return malformed('data must be a JSON object');
  const fields = new Fields(raw);
  const data = reader(fields, stored);
  if (fields.problem !== null) return malformed(fields.problem);
  return { ok: true, event: { ...stored, data } as T & RecordedJourneyEvent };
}

function malformed(reason: string): { ok: false; reason: string; knownType: true } {
  return { ok: false, reason, knownType: true };
}

/** Reads typed fields by own property; the first problem is kept and every later read is cheap. */
class Fields {
  problem: string | null = null;

  constructor(private readonly raw: Record<string, unknown>) {}

  private value(key: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.raw, key) ? this.raw[key] : undefined;
  }

  private fail(key: string, expected: string): undefined {
    this.problem ??= `data.${key} must be ${expected}`;
    return undefined;
  }

  text(key: string): string {
    const value = this.value(key);
    return typeof value === 'string' && value !== '' ? value : (this.fail(key, 'a non-empty string') as never);
  }

  optionalText(key: string): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : this.fail(key, 'a string when present');
  }

  number(key: string): number {
    const value = this.value(key);
    return typeof value === 'number' && Number.isFinite(value) ? value : (this.fail(key, 'a finite number') as never);
  }

  optionalNumber(key: string): number | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    return typeof value === 'number' && Number.isFinite(value) ? value : this.fail(key, 'a finite number when present');
  }

  numberOrNull(key: string): number | null {
    const value = this.value(key);
    if (value === null) return null;
    return typeof value === 'number' && Number.isFinite(value) ? value : (this.fail(key, 'a finite number or null') as never);
  }

  oneOf(key: string, allowed: ReadonlySet<string>): string {
    const value = this.value(key);
    return typeof value === 'string' && allowed.has(value) ? value : (this.fail(key, `one of ${[...allowed].join(', ')}`) as never);
  }

  optionalOneOf(key: string, allowed: ReadonlySet<string>): string | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    return typeof value === 'string' && allowed.has(value) ? value : this.fail(key, `one of ${[...allowed].join(', ')} when present`);
  }

  stageOrNull(key: string): string | null {
    return this.value(key) === null ? null : this.oneOf(key, STAGE_SET);
  }

  score(key: string): number | boolean {
    const value = this.value(key);
    return typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ? value : (this.fail(key, 'a number or true/false') as never);
  }

  textList(key: string): string[] {
    const value = this.value(key);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? [...value] : (this.fail(key, 'a list of strings') as never);
  }

  /** An optional object whose fields `read` reads; a problem inside it is named by its path. */
  optionalNested<T>(key: string, read: (fields: Fields) => T): T | undefined {
    const value = this.optionalObject(key);
    if (value === undefined) return undefined;
    const inner = new Fields(value);
    const result = read(inner);
    if (inner.problem !== null) this.problem ??= inner.problem.replace(/^data\./, `data.${key}.`);
    return result;
  }

  optionalScore(key: string): number | boolean | undefined {
    return this.value(key) === undefined ? undefined : this.score(key);
  }

  optionalObject(key: string): Record<string, unknown> | undefined {
    const value = this.value(key);
    if (value === undefined) return undefined;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : this.fail(key, 'a JSON object when present');
  }
}

const STAGE_SET: ReadonlySet<string> = new Set(STAGES);
const KIND_SET: ReadonlySet<string> = new Set(FEEDBACK_KINDS);
const SCALE_SET: ReadonlySet<string> = new Set(SCALES);

/**
 * Only the fields that are present: an absent optional field stays absent (canonical JSON). A new
 * object rather than `delete` on this one: deleting turns an object into a slow dictionary, and
 * every reader of the event (journey view, projections) would pay for it.
 */
function present<T extends Record<string, unknown>>(value: T): T {
  const result: Record<string, unknown> = {};
  for (const key in value) if (value[key] !== undefined) result[key] = value[key];
  return result as T;
}

/** The known fields of one event type, checked; the caller types the result (`asJourneyEvent`). */
type Reader = (f: Fields, stored: StoredFact) => Record<string, unknown>;

const PROFILE_FIELDS = ['segment', 'region', 'ageBand', 'gender', 'acquisitionChannel', 'name', 'email', 'phone'] as const;

const READERS = new Map<string, Reader>([
  [
    'TouchpointVisited',
    (f) =>
      present({ touchpoint: f.text('touchpoint'), channel: f.text('channel'), stage: f.oneOf('stage', STAGE_SET), properties: f.optionalObject('properties') }),
  ],
  [
    'StageEntered',
    (f) =>
      present({
        stage: f.oneOf('stage', STAGE_SET),
        from: f.stageOrNull('from'),
        timeInPreviousStageMs: f.numberOrNull('timeInPreviousStageMs'),
        causationId: f.text('causationId'),
        touchpoint: f.optionalText('touchpoint'),
      }),
  ],
  [
    'StageRegressed',
    (f) =>
      present({
        stage: f.oneOf('stage', STAGE_SET),
        from: f.oneOf('from', STAGE_SET),
        timeInPreviousStageMs: f.number('timeInPreviousStageMs'),
        causationId: f.text('causationId'),
        touchpoint: f.optionalText('touchpoint'),
      }),
  ],
  [
    'FeedbackGiven',
    (f) => {
      const kind = f.oneOf('kind', KIND_SET);
      const scored = kind === 'comment' ? {} : { score: f.score('score'), scale: f.oneOf('scale', SCALE_SET) };
      return present({
        kind,
        ...scored,
        touchpoint: f.optionalText('touchpoint'),
        channel: f.optionalText('channel'),
        stage: f.optionalOneOf('stage', STAGE_SET),
        comment: kind === 'comment' ? f.text('comment') : f.optionalText('comment'),
        source: f.optionalText('source'),
        survey: f.optionalNested('survey', (s) => present({ surveyId: s.text('surveyId'), version: s.number('version'), linkId: s.optionalText('linkId') })),
        replaces: f.optionalNested('replaces', (r) =>
          present({
            eventId: r.text('eventId'),
            occurredAt: r.text('occurredAt'),
            kind: r.oneOf('kind', KIND_SET),
            score: r.optionalScore('score'),
            scale: r.optionalOneOf('scale', SCALE_SET),
            touchpoint: r.optionalText('touchpoint'),
            channel: r.optionalText('channel'),
            stage: r.optionalOneOf('stage', STAGE_SET),
          }),
        ),
      });
    },
  ],
  [
    'TicketOpened',
    (f) =>
      present({
        ticketId: f.text('ticketId'),
        touchpoint: f.optionalText('touchpoint'),
        channel: f.optionalText('channel'),
        subject: f.optionalText('subject'),
        stage: f.optionalOneOf('stage', STAGE_SET),
      }),
  ],
  [
    'TicketResolved',
    (f) =>
      present({
        ticketId: f.text('ticketId'),
        openedAt: f.text('openedAt'),
        resolutionMs: f.number('resolutionMs'),
        touchpoint: f.optionalText('touchpoint'),
        channel: f.optionalText('channel'),
        stage: f.optionalOneOf('stage', STAGE_SET),
      }),
  ],
  ['PurchaseMade', (f) => ({ orderId: f.text('orderId'), amount: f.number('amount'), currency: f.text('currency') })],
  [
    'CustomerProfiled',
    (f) => {
      const profile: Record<string, string> = {};
      for (const key of PROFILE_FIELDS) {
        const value = f.optionalText(key);
        if (value !== undefined) profile[key] = value;
      }
      return profile;
    },
  ],
  ['CustomerChurned', (f) => present({ reason: f.optionalText('reason') })],
  ['CustomerReactivated', () => ({})],
  ['CustomerErased', () => ({})],
  ['CustomerMerged', (f) => ({ from: f.text('from') })],
  ['CustomerUnmerged', (f) => ({ from: f.text('from') })],
  [
    'ChurnRiskFlagged',
    (f, stored) => {
      const rule = f.text('rule');
      return present({
        rule,
        reason: f.text('reason'),
        evidence: f.textList('evidence'),
        episodeId: upcastEpisodeId(f.text('episodeId'), rule, stored),
        rulesVersion: f.optionalNumber('rulesVersion'),
      });
    },
  ],
  [
    'ChurnRiskCleared',
    (f, stored) => {
      const rule = f.text('rule');
      return present({
        rule,
        reason: f.text('reason'),
        episodeId: upcastEpisodeId(f.text('episodeId'), rule, stored),
        rulesVersion: f.optionalNumber('rulesVersion'),
      });
    },
  ],
]);

const LEGACY_EPISODE = 'churn-risk:';

/**
 * Before derived ids had their own namespace, an episode was `churn-risk:<customer>:<rule>:<key>`.
 * Read as today's id (what `churnRiskEpisodeId` derives), so a flag raised before an upgrade is
 * recognised afterwards: never flagged again, cleared when its condition ends. The stored event
 * keeps its original eventId: the log is never rewritten.
 */
function upcastEpisodeId(episodeId: string, rule: string, stored: StoredFact): string {
  if (typeof episodeId !== 'string' || !episodeId.startsWith(LEGACY_EPISODE) || stored.streamId === undefined) return episodeId;
  const customerId = customerIdOf(stored.streamId);
  const prefix = `${LEGACY_EPISODE}${customerId}:${rule}:`;
  if (customerId === null || !episodeId.startsWith(prefix)) return episodeId;
  return derivedEventId('churn-risk', customerId, rule, episodeId.slice(prefix.length));
}
