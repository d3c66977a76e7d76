/**
 * What the KurrentDB adapter needs from a client, in KurrentDB's own terms (bigint revisions,
 * commit/prepare positions). `kurrentdb-grpc-connection.ts` implements it with
 * `@eventstore/db-client` and is the only file that imports a client, so moving to
 * `@kurrent/kurrentdb-client` means writing one new implementation of this interface.
 */

/** A record's place in `$all`: byte offsets in KurrentDB's transaction log. */
export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

/** KurrentDB's optimistic concurrency: the stream's last revision, or that it must not exist. */
export type StreamExpectation = 'no_stream' | 'any' | bigint;

export interface EventToWrite {
  /** A UUID: KurrentDB's own event id. */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface RecordedEvent {
  streamId: string;
  /** KurrentDB's event id (a UUID). */
  id: string;
  type: string;
  revision: bigint;
  /** Parsed JSON for JSON events; bytes otherwise. */
  data: unknown;
  metadata: unknown;
  /** When the server wrote it. */
  created: Date;
  /** Absent only on servers older than 22.6 when reading a stream. */
  position?: LogPosition;
}

export type ReadFrom<T> = 'start' | 'end' | T;

export interface ReadOptions<T> {
  from: ReadFrom<T>;
  direction: 'forwards' | 'backwards';
  maxCount: number;
}

export interface AllSubscription {
  close(): Promise<void>;
}

export interface KurrentDbConnection {
  /**
   * Appends to one stream atomically.
   * @throws StreamRevisionConflict when the stream is not where `expected` says
   * @throws StoreUnavailableError when the server cannot be reached
   */
  append(streamId: string, events: EventToWrite[], expected: StreamExpectation): Promise<{ nextRevision: bigint }>;
  /** A stream that does not exist reads as empty. */
  readStream(streamId: string, options: ReadOptions<bigint>): Promise<RecordedEvent[]>;
  /** Every record of `$all` (system events included); a forwards read includes `from`. */
  readAll(options: ReadOptions<LogPosition>): Promise<RecordedEvent[]>;
  /** Live events of `$all` from now on (system streams excluded). */
  subscribeToAll(onEvent: (event: RecordedEvent) => void, onError: (error: Error) => void): AllSubscription;
  close(): Promise<void>;
}

/** A stream was not at the expected revision when the server tried the append. */
export class StreamRevisionConflict extends Error {
  constructor(
    readonly streamId: string,
    /** -1n when the stream does not exist. */
    readonly actual: bigint,
  ) {
    super(`KurrentDB stream ${streamId} is at revision ${actual}`);
    this.name = 'StreamRevisionConflict';
  }
}
