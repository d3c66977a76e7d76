import {
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { StoreUnavailableError } from '../event-store.errors';
import {
  StreamRevisionConflict,
  type AllSubscription,
  type EventToWrite,
  type KurrentDbConnection,
  type LogPosition,
  type ReadOptions,
  type RecordedEvent,
  type StreamExpectation,
} from './kurrentdb-connection';

/** Failures that mean "try again later", not "your request is wrong". */
const UNAVAILABLE_TYPES = new Set<string>([ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.NOT_LEADER, ErrorType.CANCELLED]);
/** gRPC status codes UNAVAILABLE (14) and DEADLINE_EXCEEDED (4), which some calls surface as plain errors. */
const UNAVAILABLE_CODES = new Set([4, 14]);

/** The one file that speaks to `@eventstore/db-client` (gRPC, EventStoreDB 20+ and KurrentDB). */
export class GrpcKurrentDbConnection implements KurrentDbConnection {
  private closed = false;

  /** @param connectionString `esdb://host:2113?tls=false` (see `clientConnectionString`) */
  static connect(connectionString: string): GrpcKurrentDbConnection {
    try {
      return new GrpcKurrentDbConnection(EventStoreDBClient.connectionString(connectionString));
    } catch (error) {
      throw new TypeError(`invalid KurrentDB connection string: ${(error as Error).message}`, { cause: error });
    }
  }

  private constructor(private readonly client: EventStoreDBClient) {}

  async append(streamId: string, events: EventToWrite[], expected: StreamExpectation): Promise<{ nextRevision: bigint }> {
    return this.call(async () => {
      const result = await this.client.appendToStream(
        streamId,
        events.map((event) => jsonEvent(event)),
        {
          expectedRevision: expected,
        },
      );
      return { nextRevision: result.nextExpectedRevision };
    });
  }

  async readStream(streamId: string, options: ReadOptions<bigint>): Promise<RecordedEvent[]> {
    return this.call(async () => {
      const read = this.client.readStream(streamId, {
        fromRevision: options.from === 'start' ? START : options.from === 'end' ? END : options.from,
        direction: options.direction === 'forwards' ? FORWARDS : BACKWARDS,
        maxCount: options.maxCount,
      });
      const events: RecordedEvent[] = [];
      try {
        for await (const resolved of read) {
          if (resolved.event) events.push(toRecordedEvent(resolved));
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return [];
        throw error;
      }
      return events;
    });
  }

  async readAll(options: ReadOptions<LogPosition>): Promise<RecordedEvent[]> {
    return this.call(async () => {
      const read = this.client.readAll({
        fromPosition: options.from === 'start' ? START : options.from === 'end' ? END : options.from,
        direction: options.direction === 'forwards' ? FORWARDS : BACKWARDS,
        maxCount: options.maxCount,
      });
      const events: RecordedEvent[] = [];
      for await (const resolved of read) {
        if (resolved.event) events.push(toRecordedEvent(resolved));
      }
      return events;
    });
  }

  subscribeToAll(onEvent: (event: RecordedEvent) => void, onError: (error: Error) => void): AllSubscription {
    if (this.closed) throw new StoreUnavailableError('the kurrentdb event store is closed');
    const subscription = this.client.subscribeToAll({
      fromPosition: END,
      filter: streamNameFilter({ regex: '^[^$]' }),
    });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (resolved.event) onEvent(toRecordedEvent(resolved));
    });
    subscription.on('error', (error: Error) => onError(translate(error)));
    return { close: () => subscription.unsubscribe() };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.dispose();
  }

  private async call<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('the kurrentdb event store is closed');
    try {
      return await work();
    } catch (error) {
      throw translate(error);
    }
  }
}

function toRecordedEvent(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent {
  const event = resolved.event!;
  return {
    streamId: event.streamId,
    id: event.id,
    type: event.type,
    revision: event.revision,
    data: event.data,
    metadata: event.metadata,
    created: event.created,
    position: event.position,
  };
}

function translate(error: unknown): Error {
  if (error instanceof StreamRevisionConflict || error instanceof StoreUnavailableError) return error;
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new StreamRevisionConflict(error.streamName, typeof actual === 'bigint' ? actual : -1n);
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const unavailable = (isCommandError(error) && UNAVAILABLE_TYPES.has(error.type)) || (typeof code === 'number' && UNAVAILABLE_CODES.has(code));
    if (unavailable) return new StoreUnavailableError(`kurrentdb event store unavailable: ${error.message}`, error);
    return error;
  }
  return new Error(String(error));
}
