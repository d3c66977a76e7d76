/**
 * The event store port. Adapters (sqlite, postgres, kurrentdb) implement it and are proven by the
 * one contract suite in `testing/event-store.contract.ts`.
 *
 * Positions are the global order (1, 2, 3, ... with possible gaps); revisions count events within
 * one stream from 0. `eventId` is globally unique and is the idempotency key.
 */
export const EVENT_STORE = Symbol('EVENT_STORE');

/** An event about to be appended. The store adds position, revision and recordedAt. */
export interface NewEvent {
  eventId: string;
  type: string;
  /** JSON-serialisable payload. */
  data: Record<string, unknown>;
  /** ISO 8601 instant (UTC, `toISOString()` form) when it happened in the world. */
  occurredAt: string;
}

export interface StoredEvent extends NewEvent {
  position: number;
  streamId: string;
  revision: number;
  /** ISO 8601 instant when the store recorded it: the basis of "as known at time T". */
  recordedAt: string;
}

/** A stored event without its data and times: where it is in the log, and what it is. */
export type EventHeader = Pick<StoredEvent, 'position' | 'streamId' | 'revision' | 'eventId' | 'type'>;

/**
 * `'no_stream'`: the stream must not exist yet; `'any'`: no check; a number: the revision of the
 * stream's last event (the stream must be exactly there).
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface AppendRequest {
  streamId: string;
  expectedRevision: ExpectedRevision;
  events: NewEvent[];
}

export interface AppendedEvent {
  eventId: string;
  streamId: string;
  position: number;
  revision: number;
  /** true when this eventId was already stored with the same body: nothing was written. */
  duplicate: boolean;
}

export interface AppendResult {
  /** One entry per event of every request, in request order. */
  events: AppendedEvent[];
  /** Revision of each touched stream's last event after the append. */
  streams: Record<string, number>;
}

export interface ReadAllOptions {
  /** Exclusive: events with a position greater than this. 0 reads from the start. */
  after: number;
  limit: number;
}

export interface ReadStreamOptions {
  /** Inclusive revision to start from (default 0). */
  fromRevision?: number;
  limit?: number;
}

/** One stream of a `readStreams` call: its events from `fromRevision` (default 0) on. */
export interface StreamRead {
  streamId: string;
  fromRevision?: number;
}

export interface EventStoreHealth {
  store: string;
  position: number;
  /** The store answers reads. */
  ok: boolean;
  detail?: string;
  /**
   * The store takes writes: false while appends fail for want of disk space or on a read-only
   * file system (reads may still work). Absent when the adapter cannot tell.
   */
  writable?: boolean;
  /** Why it does not take writes. */
  writeDetail?: string;
}

export interface EventStore {
  readonly name: string;
  /**
   * Appends to one or more streams atomically: every event of every request is stored, or none is.
   * An event whose eventId is already stored with an identical body (stream, type, data,
   * occurredAt) is skipped and reported with its original position (`duplicate: true`); when every
   * event of a request is such a duplicate, its expected revision is not checked. An eventId stored
   * with a different body is a `DuplicateEventIdError`; a stream not at its expected revision is a
   * `WrongExpectedRevisionError`.
   */
  append(requests: AppendRequest[]): Promise<AppendResult>;
  /**
   * `append` for a caller that expects every event to be new (the write path, whose events are
   * almost always new): the same atomic append, but an event id already stored, or a stream not at
   * its expected revision, is a `NotAllNewError` with nothing written, instead of a lookup that
   * tells duplicates from conflicts. A store that offers it saves looking every id up first; a
   * caller falls back to `findByEventIds` and `append` on that error, or when the store lacks it.
   */
  appendNew?(requests: AppendRequest[]): Promise<AppendResult>;
  /** Events of one stream in revision order; an unknown stream is an empty list. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<StoredEvent[]>;
  /**
   * Several streams at once, each as `readStream` would read it, in the order asked (a store
   * that answers them in one round trip has this; `readStreams()` falls back to one read each).
   */
  readStreams?(reads: readonly StreamRead[]): Promise<StoredEvent[][]>;
  /** Events of all streams in global order, after a position, at most `limit` of them. */
  readAll(options: ReadAllOptions): Promise<StoredEvent[]>;
  /**
   * `readAll` without the events' data: for a follower that only needs to know whose streams moved
   * (a store that reads less for it has this; `readAllHeaders()` falls back to `readAll`).
   */
  readAllHeaders?(options: ReadAllOptions): Promise<EventHeader[]>;
  /** The stored events with these ids (absent ids are simply missing from the map). */
  findByEventIds(eventIds: string[]): Promise<Map<string, StoredEvent>>;
  /** Revision of the stream's last event, or -1 when the stream does not exist. */
  streamRevision(streamId: string): Promise<number>;
  /** The highest position a reader may safely read up to now. */
  headPosition(): Promise<number>;
  health(): Promise<EventStoreHealth>;
  close(): Promise<void>;
}

/** Several streams' events, in the order asked: in one call when the store can (`EventStore.readStreams`), else one read each. */
export async function readStreams(store: Pick<EventStore, 'readStream' | 'readStreams'>, reads: readonly StreamRead[]): Promise<StoredEvent[][]> {
  if (reads.length === 0) return [];
  if (store.readStreams) return store.readStreams(reads);
  const found: StoredEvent[][] = [];
  for (const { streamId, fromRevision } of reads) found.push(await store.readStream(streamId, { fromRevision }));
  return found;
}

/** The headers of the events `readAll` would read: in one lighter read when the store can (`EventStore.readAllHeaders`). */
export async function readAllHeaders(store: Pick<EventStore, 'readAll' | 'readAllHeaders'>, options: ReadAllOptions): Promise<EventHeader[]> {
  if (store.readAllHeaders) return store.readAllHeaders(options);
  return (await store.readAll(options)).map(({ position, streamId, revision, eventId, type }) => ({ position, streamId, revision, eventId, type }));
}

/**
 * Appends that store these events as they are in their own store: one request per run of
 * consecutive events of a stream, expecting the revisions they had there (copying a log).
 */
export function appendRequestsFor(events: readonly StoredEvent[]): AppendRequest[] {
  const requests: AppendRequest[] = [];
  for (const { streamId, revision, eventId, type, data, occurredAt } of events) {
    const last = requests[requests.length - 1];
    if (last && last.streamId === streamId) {
      last.events.push({ eventId, type, data, occurredAt });
    } else {
      requests.push({
        streamId,
        expectedRevision: revision === 0 ? 'no_stream' : revision - 1,
        events: [{ eventId, type, data, occurredAt }],
      });
    }
  }
  return requests;
}
