import type { IHeaders, Message } from 'kafkajs';
import type { SourceMessage } from './source-message';

/** Why a message went to the dead-letter topic; the value of the `x-journeyline-error` header. */
export type DeadLetterReason =
  /** The value is not JSON (or the message has no value). */
  | 'malformed-json'
  /** JSON, but not a valid wire event: unknown field, bad score, unknown stage, ... (parseWireEvent). */
  | 'invalid-event'
  /** A valid event the journey rules refuse: a ticket resolved before it was opened, ... */
  | 'journey-rule'
  /** The eventId is already stored with a different body. */
  | 'event-id-reused';

export interface DeadLetter {
  message: SourceMessage;
  reason: DeadLetterReason;
  /** Human-readable: what is wrong and, where possible, how to fix it. */
  detail: string;
  /** The first offending field (`data.score`), when validation named one. */
  field?: string;
  /** The journey rule broken (`ticket-never-opened`), for `journey-rule`. */
  rule?: string;
  /** Every validation error, for `invalid-event`. */
  errors?: { field: string; reason: string }[];
}

export const DEAD_LETTER_HEADERS = {
  error: 'x-journeyline-error',
  reason: 'x-journeyline-error-reason',
  field: 'x-journeyline-error-field',
  rule: 'x-journeyline-error-rule',
  errors: 'x-journeyline-errors',
  sourceTopic: 'x-journeyline-source-topic',
  sourcePartition: 'x-journeyline-source-partition',
  sourceOffset: 'x-journeyline-source-offset',
  sourceTimestamp: 'x-journeyline-source-timestamp',
  failedAt: 'x-journeyline-failed-at',
} as const;

/** Header values are bytes on the wire; long lists are cut rather than refused by the broker. */
const MAX_HEADER_CHARS = 4000;

/**
 * The dead-letter record: the original key and value bytes untouched (so the message can be
 * fixed and replayed as it was), the original headers, then ours naming the error and the
 * source coordinates.
 */
export function deadLetterRecord(letter: DeadLetter, failedAt: Date): Message {
  const { message } = letter;
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) if (value !== undefined) headers[name] = value;
  headers[DEAD_LETTER_HEADERS.error] = letter.reason;
  headers[DEAD_LETTER_HEADERS.reason] = cut(letter.detail);
  if (letter.field) headers[DEAD_LETTER_HEADERS.field] = letter.field;
  if (letter.rule) headers[DEAD_LETTER_HEADERS.rule] = letter.rule;
  if (letter.errors?.length) headers[DEAD_LETTER_HEADERS.errors] = cut(JSON.stringify(letter.errors));
  headers[DEAD_LETTER_HEADERS.sourceTopic] = message.topic;
  headers[DEAD_LETTER_HEADERS.sourcePartition] = String(message.partition);
  headers[DEAD_LETTER_HEADERS.sourceOffset] = message.offset;
  headers[DEAD_LETTER_HEADERS.sourceTimestamp] = message.timestamp;
  headers[DEAD_LETTER_HEADERS.failedAt] = failedAt.toISOString();
  return { key: message.key, value: message.value, headers };
}

function cut(text: string): string {
  return text.length <= MAX_HEADER_CHARS ? text : `${text.slice(0, MAX_HEADER_CHARS - 1)}…`;
}
