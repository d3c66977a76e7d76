import { isDeepStrictEqual } from 'node:util';
import {
  DuplicateEventIdError,
  NotAllNewError,
  readStreams,
  WrongExpectedRevisionError,
  type AppendRequest,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '@journeyline/event-store';
import type { CustomerStateCache } from './customer-state-cache';
import { timeWasDefaulted } from '../wire/wire-event-parser';
import {
  asJourneyEvent,
  COMMAND_EVENT_TYPE,
  customerStreamId,
  decide,
  evolve,
  initialState,
  JourneyRuleViolation,
  stageChangeEventId,
  type CustomerCommand,
  type CustomerState,
  type JourneyEvent,
} from '@journeyline/journey';

/** Where one command of a batch ended up. */
export interface RecordedEvent {
  eventId: string;
  customerId: string;
  position: number;
  /** The eventId was already stored: nothing new was written for it. */
  duplicate: boolean;
}

export interface RuleViolationAt {
  index: number;
  eventId: string;
  rule: string;
  reason: string;
}

/** Some commands broke journey rules: nothing of the batch was stored. */
export class BatchRejectedError extends Error {
  constructor(readonly violations: RuleViolationAt[]) {
    super(`${violations.length} event(s) break journey rules; nothing was stored`);
    this.name = 'BatchRejectedError';
  }
}

/** An eventId is already used by a different event: nothing of the batch was stored. */
export class EventIdReusedError extends Error {
  constructor(
    readonly index: number,
    readonly eventId: string,
  ) {
    super(`eventId ${eventId} is already stored with a different body; use a new eventId for a new event`);
    this.name = 'EventIdReusedError';
  }
}

/**
 * Seals personal fields before they are decided and stored (libs/privacy's PersonalData): every
 * way into the log records through here, so none can store a name or a comment in plain text.
 */
export interface PersonalDataSealer {
  sealCommands(commands: readonly CustomerCommand[]): Promise<CustomerCommand[]>;
}

export interface RecordOptions {
  personal: PersonalDataSealer;
  /** Attempts when a concurrent writer appended to the same streams meanwhile. Default 8. */
  maxAttempts?: number;
  /** Folded states kept between calls: a customer seen lately costs a read of its new events only. */
  states?: CustomerStateCache;
}

/**
 * The write path shared by HTTP, Kafka and the import: seal personal fields, then, for each customer, read the stream, fold it, decide
 * every command in order, and append all customers' events in one atomic store call with the
 * expected revisions. Commands whose eventId is already stored are answered with the original
 * position and not decided again (at-least-once delivery never double-counts). A concurrent
 * writer (WrongExpectedRevision) makes the whole batch start over, up to `maxAttempts` times.
 *
 * Almost every batch is new, so when the store has `appendNew` the first attempt does not look
 * the ids up: it decides as if none were stored and appends with `appendNew`, which writes nothing
 * if one is (every decided command stores an event under its own id, so a command already stored
 * meets the id's unique index). Whatever that attempt cannot tell from a retry (the store refused,
 * a journey rule broken, a command that records nothing, a cached state in doubt) sends the batch
 * the careful way: look the ids up, read, decide, append. The answer is always the careful one's.
 */
export async function recordCustomerEvents(store: EventStore, commands: readonly CustomerCommand[], options: RecordOptions): Promise<RecordedEvent[]> {
  const maxAttempts = options.maxAttempts ?? 8;
  const sealed = await options.personal.sealCommands(commands);
  sealed.forEach((command, i) => {
    if (command !== commands[i] && timeWasDefaulted.has(commands[i])) timeWasDefaulted.add(command);
  });
  // The first attempt decides on cached states as they are (see attemptRecord); when one has gone
  // stale, the attempt after it reads, and only reading attempts count against maxAttempts.
  let trustStates = options.states !== undefined;
  let assumeNew = store.appendNew !== undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptRecord(store, sealed, options.states, { trustStates, assumeNew });
    } catch (error) {
      if (assumeNew && (error instanceof NotAllNewError || error instanceof WrongExpectedRevisionError || error instanceof CachedStateSuspect)) {
        // the careful way from here on, reading every stream (a stale cached state may be why)
        assumeNew = false;
        trustStates = false;
        attempt--;
        continue;
      }
      if (trustStates && (error instanceof WrongExpectedRevisionError || error instanceof CachedStateSuspect)) {
        trustStates = false;
        attempt--;
        continue;
      }
      if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
    }
  }
}

/** An attempt that decided on cached states cannot tell its outcome from a stale one: read and decide again. */
class CachedStateSuspect extends Error {}

interface AttemptMode {
  /** Decide on cached states without reading their streams (see attemptRecord). */
  trustStates: boolean;
  /** Look no id up: decide as if every command were new and append with `appendNew` (see recordCustomerEvents). */
  assumeNew: boolean;
}

/**
 * One attempt. With `trustStates`, a customer whose folded state is cached is decided on it without
 * reading its stream: the state is the fold of the stream up to its revision, and the append
 * expects exactly that revision, so if anyone appended since, the append fails
 * (WrongExpectedRevision) and nothing is stored. The outcomes the append does not guard are
 * checked instead: a cached customer that records nothing has its revision read, and a journey
 * rule broken in an attempt that trusted a state is not believed until an attempt that read.
 * For the usual batch that is one read less per customer seen lately.
 */
async function attemptRecord(
  store: EventStore,
  commands: readonly CustomerCommand[],
  states: CustomerStateCache | undefined,
  { trustStates, assumeNew }: AttemptMode,
): Promise<RecordedEvent[]> {
  const stored = assumeNew ? new Map<string, StoredEvent>() : await store.findByEventIds([...new Set(commands.map((c) => c.eventId))]);
  const firstIndexOf = new Map<string, number>();
  const fresh: number[] = [];
  commands.forEach((command, index) => {
    const known = stored.get(command.eventId);
    if (known) {
      if (!sameFact(command, known)) throw new EventIdReusedError(index, command.eventId);
      return;
    }
    const first = firstIndexOf.get(command.eventId);
    if (first === undefined) {
      firstIndexOf.set(command.eventId, index);
      fresh.push(index);
    } else if (!isDeepStrictEqual(commands[first], command)) {
      // the careful way names the first reused id, which may be one stored before: let it find it
      if (assumeNew) throw new CachedStateSuspect();
      throw new EventIdReusedError(index, command.eventId);
    }
  });

  const byCustomer = new Map<string, number[]>();
  for (const index of fresh) {
    const customerId = commands[index].customerId;
    const indexes = byCustomer.get(customerId);
    if (indexes) indexes.push(index);
    else byCustomer.set(customerId, [index]);
  }

  // the cached states as they are now (other requests may replace them while this one waits for its reads)
  const cached = new Map([...byCustomer.keys()].map(customerStreamId).map((streamId) => [streamId, states?.get(streamId)]));
  // the streams to read (customers not cached, or not trusted now), all in one call: one round trip on PostgreSQL
  const toRead = [...cached]
    .filter(([, known]) => !(known && trustStates))
    .map(([streamId, known]) => ({ streamId, fromRevision: known ? known.revision + 1 : 0 }));
  const histories = new Map((await readStreams(store, toRead)).map((events, i) => [toRead[i].streamId, events]));

  const violations: RuleViolationAt[] = [];
  const requests: AppendRequest[] = [];
  const decidedStates: CustomerState[] = [];
  const trusted = new Set<string>();
  for (const [customerId, indexes] of byCustomer) {
    const streamId = customerStreamId(customerId);
    const known = cached.get(streamId);
    const history = histories.get(streamId);
    let state: CustomerState;
    let revision: number;
    if (!history) {
      ({ state, revision } = known!);
      trusted.add(streamId);
    } else {
      state = known?.state ?? initialState();
      for (const stored of history) {
        // a malformed event (written below validation; parked by the projections) takes no part in decisions
        const checked = asJourneyEvent(stored);
        if (checked.ok) state = evolve(state, checked.event);
      }
      revision = history.length ? history[history.length - 1].revision : (known?.revision ?? -1);
      states?.set(streamId, revision, state);
    }
    const events: JourneyEvent[] = [];
    for (const index of indexes) {
      try {
        const decided = decide(commands[index], state);
        // nothing to append is no proof the command is new (a merge said again records nothing): ask the store
        if (assumeNew && decided.length === 0) throw new CachedStateSuspect();
        state = decided.reduce(evolve, state);
        events.push(...decided);
      } catch (error) {
        if (!(error instanceof JourneyRuleViolation)) throw error;
        violations.push({ index, eventId: commands[index].eventId, rule: error.rule, reason: error.message });
      }
    }
    // An append of no events checks no revision: see that nothing was appended since the state cached.
    if (events.length === 0 && trusted.has(streamId) && (await store.streamRevision(streamId)) !== revision) throw new CachedStateSuspect();
    requests.push({ streamId, expectedRevision: revision < 0 ? 'no_stream' : revision, events: events.map(toNewEvent) });
    decidedStates.push(state);
  }
  if (violations.length > 0) {
    // a rule broken by a command that may be stored already (a retry), or judged on a cached state: not believed yet
    if (assumeNew || violations.some(({ index }) => trusted.has(customerStreamId(commands[index].customerId)))) throw new CachedStateSuspect();
    throw new BatchRejectedError(violations.sort((a, b) => a.index - b.index));
  }

  let positions = new Map<string, number>();
  if (requests.length > 0) {
    try {
      const result = assumeNew ? await store.appendNew!(requests) : await store.append(requests);
      positions = new Map(result.events.map((e) => [e.eventId, e.position]));
      requests.forEach(({ streamId, expectedRevision, events }, i) => {
        // Only when the stream ends exactly where the decisions left it (nothing stored meanwhile).
        const decidedRevision = (expectedRevision === 'no_stream' ? -1 : (expectedRevision as number)) + events.length;
        if (result.streams[streamId] === decidedRevision) states?.set(streamId, decidedRevision, decidedStates[i]);
      });
    } catch (error) {
      if (error instanceof DuplicateEventIdError) {
        const index = commands.findIndex((c) => causedBy(c, error.eventId));
        throw new EventIdReusedError(Math.max(index, 0), error.eventId);
      }
      throw error;
    }
  }
  // A command that recorded nothing new (a merge already in place) answers with where its customer's stream ends.
  const streamEnds = new Map<string, number>();
  for (const command of commands) {
    if (stored.has(command.eventId) || positions.has(command.eventId) || streamEnds.has(command.customerId)) continue;
    const streamId = customerStreamId(command.customerId);
    const [last] = await store.readStream(streamId, { fromRevision: Math.max(0, await store.streamRevision(streamId)), limit: 1 });
    streamEnds.set(command.customerId, last?.position ?? 0);
  }
  return commands.map((command, index) => {
    const known = stored.get(command.eventId);
    const position = known ? known.position : positions.get(command.eventId);
    return {
      eventId: command.eventId,
      customerId: command.customerId,
      position: position ?? streamEnds.get(command.customerId)!,
      duplicate: Boolean(known) || position === undefined || firstIndexOf.get(command.eventId) !== index,
    };
  });
}

/** A decided event as the store takes it. */
function toNewEvent({ type, eventId, occurredAt, data }: JourneyEvent): NewEvent {
  return { type, eventId, occurredAt, data: { ...data } };
}

/** Whether a stored eventId is this command's own or one Journeyline derived from it. */
export function causedBy(command: CustomerCommand, eventId: string): boolean {
  return command.eventId === eventId || stageChangeEventId(command.eventId) === eventId;
}

/** Whether an already stored event records this same command (retries may reorder JSON keys). */
function sameFact(command: CustomerCommand, stored: StoredEvent): boolean {
  if (stored.streamId !== customerStreamId(command.customerId)) return false;
  if (stored.type !== COMMAND_EVENT_TYPE[command.type]) return false;
  if (stored.occurredAt !== command.occurredAt && !timeWasDefaulted.has(command)) return false;
  return Object.entries(command.data).every(([key, value]) => value === undefined || isDeepStrictEqual(stored.data[key], value));
}
