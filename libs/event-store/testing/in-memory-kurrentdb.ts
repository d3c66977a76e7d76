import { StoreUnavailableError } from '@journeyline/event-store/event-store.errors';
import {
  StreamRevisionConflict,
  type AllSubscription,
  type EventToWrite,
  type KurrentDbConnection,
  type LogPosition,
  type ReadOptions,
  type RecordedEvent,
  type StreamExpectation,
} from '@journeyline/event-store/kurrentdb/kurrentdb-connection';

interface Row {
  streamId: string;
  id: string;
  type: string;
  revision: bigint;
  /** Serialised, as on the wire: every read parses a fresh copy. */
  data: string;
  metadata: string;
  created: Date;
  position: bigint;
}

/**
 * KurrentDB as the adapter sees it, in memory, for tests that run without a server: per-stream
 * atomic appends with the server's revision checks, `$all` in commit order with positions that are
 * byte offsets (large, far apart, never 1, 2, 3), system events mixed in (`$`-streams, written
 * before the first append and every few appends, as statistics are), forwards reads of `$all`
 * inclusive of their start and backwards reads exclusive, and a `$all` subscription. Every call
 * yields to the event loop before it acts, so concurrent calls interleave as they would over gRPC.
 *
 * It proves the adapter's logic, not the client binding or the server: that takes a real server
 * (KURRENTDB_CONNECTION_STRING).
 */
export class InMemoryKurrentDb implements KurrentDbConnection {
  private readonly all: Row[] = [];
  private readonly streams = new Map<string, Row[]>();
  private readonly subscribers = new Set<{ onEvent: (e: RecordedEvent) => void; onError: (e: Error) => void }>();
  private nextPosition = 7_340_032_000n;
  private appends = 0;
  private closed = false;

  /** While true every call fails as an unreachable server does. */
  unavailable = false;
  /**
   * Runs before each append is checked and applied: throw from it to make that append fail, or
   * append from it to be a writer that got in first.
   */
  beforeAppend?: (streamId: string, events: EventToWrite[]) => void | Promise<void>;

  constructor() {
    this.write('$epoch-information', [{ id: 'epoch', type: '$epoch-information', data: {}, metadata: {} }]);
    this.write('$settings', [{ id: 'settings', type: '$settings', data: {}, metadata: {} }]);
  }

  async append(streamId: string, events: EventToWrite[], expected: StreamExpectation): Promise<{ nextRevision: bigint }> {
    await this.turn();
    await this.beforeAppend?.(streamId, events);
    const current = BigInt((this.streams.get(streamId)?.length ?? 0) - 1);
    const ok = expected === 'any' || (expected === 'no_stream' ? current === -1n : current === expected);
    if (!ok) throw new StreamRevisionConflict(streamId, current);
    if (++this.appends % 5 === 0) {
      this.write('$stats-127.0.0.1:2113', [{ id: `stats-${this.appends}`, type: '$statistics-collected', data: {}, metadata: {} }]);
    }
    const written = this.write(streamId, events);
    for (const subscriber of this.subscribers) {
      for (const row of written) if (!row.streamId.startsWith('$')) setImmediate(() => subscriber.onEvent(toRecorded(row)));
    }
    return { nextRevision: written[written.length - 1]?.revision ?? current };
  }

  async readStream(streamId: string, options: ReadOptions<bigint>): Promise<RecordedEvent[]> {
    await this.turn();
    const rows = this.streams.get(streamId) ?? [];
    if (options.direction === 'forwards') {
      const from = options.from === 'start' ? 0 : options.from === 'end' ? rows.length : Number(options.from);
      return rows.slice(from, from + options.maxCount).map(toRecorded);
    }
    const from = options.from === 'end' ? rows.length - 1 : options.from === 'start' ? 0 : Number(options.from);
    return rows
      .slice(Math.max(0, from - options.maxCount + 1), from + 1)
      .reverse()
      .map(toRecorded);
  }

  async readAll(options: ReadOptions<LogPosition>): Promise<RecordedEvent[]> {
    await this.turn();
    if (options.direction === 'forwards') {
      const from = options.from === 'start' ? -1n : options.from === 'end' ? this.nextPosition : options.from.commit;
      return this.all
        .filter((row) => row.position >= from)
        .slice(0, options.maxCount)
        .map(toRecorded);
    }
    const before = options.from === 'end' ? this.nextPosition : options.from === 'start' ? 0n : options.from.commit;
    return this.all
      .filter((row) => row.position < before)
      .reverse()
      .slice(0, options.maxCount)
      .map(toRecorded);
  }

  subscribeToAll(onEvent: (event: RecordedEvent) => void, onError: (error: Error) => void): AllSubscription {
    this.assertUp();
    const subscriber = { onEvent, onError };
    this.subscribers.add(subscriber);
    return { close: async () => void this.subscribers.delete(subscriber) };
  }

  /** Drops every subscription as a lost connection would. */
  dropSubscriptions(): void {
    const dropped = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of dropped) subscriber.onError(new StoreUnavailableError('subscription dropped'));
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Every record of `$all`, system events and index claims included (for assertions). */
  records(): RecordedEvent[] {
    return this.all.map(toRecorded);
  }

  private write(streamId: string, events: EventToWrite[]): Row[] {
    const rows = this.streams.get(streamId) ?? [];
    this.streams.set(streamId, rows);
    return events.map((event) => {
      const data = JSON.stringify(event.data);
      const row: Row = {
        streamId,
        id: event.id,
        type: event.type,
        revision: BigInt(rows.length),
        data,
        metadata: JSON.stringify(event.metadata),
        created: new Date(),
        position: this.nextPosition,
      };
      // A record's size moves the next position on, as in the transaction log.
      this.nextPosition += BigInt(120 + Buffer.byteLength(data) + streamId.length + event.type.length);
      rows.push(row);
      this.all.push(row);
      return row;
    });
  }

  private async turn(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.assertUp();
  }

  private assertUp(): void {
    if (this.closed) throw new StoreUnavailableError('the in-memory kurrentdb connection is closed');
    if (this.unavailable) throw new StoreUnavailableError('kurrentdb event store unavailable: 14 UNAVAILABLE: No connection established');
  }
}

function toRecorded(row: Row): RecordedEvent {
  return {
    streamId: row.streamId,
    id: row.id,
    type: row.type,
    revision: row.revision,
    data: JSON.parse(row.data),
    metadata: JSON.parse(row.metadata),
    created: row.created,
    position: { commit: row.position, prepare: row.position },
  };
}
