import type { EventStore } from '@journeyline/event-store';
import {
  parseWireEvent,
  recordOrSetAside,
  type CustomerStateCache,
  type PersonalDataSealer,
  type RecordedEvent,
  type WireLimits,
} from '@journeyline/recording';
import type { CustomerCommand } from '@journeyline/journey';
import type { DeadLetter } from './dead-letter';
import { kafkaEventId } from './kafka-event-id';
import type { SourceMessage } from './source-message';

export interface MessageBatchOptions {
  /** Seals personal fields before they are stored (libs/privacy). */
  personal: PersonalDataSealer;
  /** Zone a timestamp without offset is read in (JOURNEYLINE_TZ). */
  timeZone: string;
  /** "Now" for a message whose timestamp is missing. Default: the system clock. */
  clock?: () => Date;
  /** The consumer's folded customer states, kept from batch to batch. */
  states?: CustomerStateCache;
  /** Limits on free-form `properties`; default DEFAULT_WIRE_LIMITS. */
  limits?: WireLimits;
}

/** What became of one partition batch: every message is either recorded or a dead letter. */
export interface BatchIngestion {
  /** In message order; `event.duplicate` when the eventId was already stored (a redelivery). */
  recorded: { message: SourceMessage; event: RecordedEvent }[];
  deadLetters: DeadLetter[];
}

/**
 * Records one partition batch the way the HTTP batch endpoint records a request, except that a
 * bad message does not refuse its neighbours: every message is parsed with the shared
 * `parseWireEvent`; those that fail become dead letters; the rest are recorded by the shared
 * rejects policy (`recordOrSetAside`: one atomic append, and what a journey rule or a reused
 * eventId refuses becomes a dead letter while the rest is recorded again).
 *
 * Any other error (store unavailable, a concurrent writer after all retries, a bug) is thrown:
 * the caller retries the batch later and never dead-letters a message for it.
 */
export async function ingestMessageBatch(store: EventStore, messages: readonly SourceMessage[], options: MessageBatchOptions): Promise<BatchIngestion> {
  const clock = options.clock ?? (() => new Date());
  const deadLetters: DeadLetter[] = [];
  const pending: { message: SourceMessage; command: CustomerCommand }[] = [];
  messages.forEach((message, index) => {
    const parsed = parseMessage(message, index, options, clock);
    if ('command' in parsed) pending.push({ message, command: parsed.command });
    else deadLetters.push(parsed.deadLetter);
  });
  const { recorded, setAside } = await recordOrSetAside(
    store,
    pending.map((p) => p.command),
    { personal: options.personal, states: options.states },
  );
  for (const aside of setAside) {
    deadLetters.push({ message: pending[aside.index].message, reason: aside.reason, detail: aside.detail, ...(aside.rule ? { rule: aside.rule } : {}) });
  }
  return {
    recorded: pending.flatMap((p, i) => (recorded[i] ? [{ message: p.message, event: recorded[i]! }] : [])),
    deadLetters: ordered(deadLetters),
  };
}

type Parsed = { command: CustomerCommand } | { deadLetter: DeadLetter };

/**
 * JSON, then the shared wire validation. Two Kafka-specific choices, both so that a redelivered
 * message is parsed exactly as the first time: a missing eventId becomes the message's
 * coordinates (see kafkaEventId), and "now" (the default occurredAt, and the limit on future
 * timestamps) is the message's timestamp, not the clock at delivery.
 */
function parseMessage(message: SourceMessage, index: number, options: MessageBatchOptions, clock: () => Date): Parsed {
  if (message.value === null || message.value.length === 0) {
    return { deadLetter: { message, reason: 'malformed-json', detail: 'the message has no value; send one wire event as JSON' } };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(message.value.toString('utf8'));
  } catch (error) {
    return { deadLetter: { message, reason: 'malformed-json', detail: `the value is not JSON: ${(error as Error).message}` } };
  }
  let parsed: ReturnType<typeof parseWireEvent>;
  try {
    parsed = parseWireEvent(raw, index, {
      timeZone: options.timeZone,
      now: messageTime(message, clock),
      limits: options.limits,
      eventIdWhenAbsent: kafkaEventId(message.topic, message.partition, message.offset),
    });
  } catch (error) {
    // parseWireEvent answers every input; should a bug make it throw, one message must still not stop the partition
    return {
      deadLetter: {
        message,
        reason: 'invalid-event',
        detail: `the event could not be read (${(error as Error)?.message ?? String(error)}); report this with the message`,
      },
    };
  }
  if (parsed.ok) return { command: parsed.command };
  const errors = parsed.errors.map(({ field, reason }) => ({ field, reason }));
  return {
    deadLetter: {
      message,
      reason: 'invalid-event',
      detail: errors.map((e) => e.reason).join('; '),
      ...(errors[0]?.field ? { field: errors[0].field } : {}),
      errors,
    },
  };
}

function messageTime(message: SourceMessage, clock: () => Date): Date {
  const ms = Number(message.timestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : clock();
}

/** Dead letters in offset order, so the dead-letter topic reads like the source did. */
function ordered(deadLetters: DeadLetter[]): DeadLetter[] {
  return deadLetters.sort((a, b) => compareOffsets(a.message.offset, b.message.offset));
}

function compareOffsets(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
