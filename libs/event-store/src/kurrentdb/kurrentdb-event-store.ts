import { appendResult, planAppend, requestedEventIds, requestedStreamIds, type PlannedWrite, type StoredBody } from '../append-plan';
import { canonicalJson } from '../canonical-json';
import { StoreUnavailableError } from '../event-store.errors';
import type {
  AppendRequest,
  AppendResult,
  EventStore,
  EventStoreHealth,
  ReadAllOptions,
  ReadStreamOptions,
  StoredEvent,
  StreamRead,
} from '../event-store.port';
import { StreamRevisionConflict, type AllSubscription, type KurrentDbConnection, type LogPosition, type ReadFrom } from './kurrentdb-connection';
import { EventIdIndex, jitter, mapEach, PlanAgain, type AppendCall } from './kurrentdb-event-id-index';
import {
  clientConnectionString,
  readAllFrom,
  StreamNames,
  toEventToWrite,
  toPortPosition,
  toPortRevision,
  toStoredEvent,
  toStreamExpectation,
} from './kurrentdb-records';

export interface KurrentDbEventStoreOptions {
  /** Prefix of every stream this store uses, so several stores can share a database. Default none. */
  namespace?: string;
  /**
   * `$all` position before which this store sees nothing ('end': the log's end when opened). For a
   * namespace begun in a database with history, and for tests on a shared server. Default 0.
   */
  startPosition?: number | 'end';
  /** Plans of one append tried while concurrent appends take the same revisions or event ids. Default 50. */
  maxAppendAttempts?: number;
  /**
   * How long an event id claimed by another writer, whose event is not in its stream yet, is given
   * to appear (that writer may be between its claim and its stream append) before this writer
   * takes the claim over. Default 2,000 ms.
   */
  claimGraceMs?: number;
  /** KurrentDB calls in flight at once for the index look-ups and claims of one append. Default 32. */
  concurrency?: number;
}

/** The wake-up `subscribe` sends: the position of an event appended to this store by any process. */
export interface KurrentDbAppendNotice {
  position: number;
  count: number;
}

/**
 * The KurrentDB (EventStoreDB) event store. Port streams are KurrentDB streams of the same name
 * (`customer-<id>`); the global order is `$all`; a position is the event's commit position.
 *
 * Idempotency: KurrentDB recognises a repeated event id only on one stream, briefly, so an
 * append looks up its eventIds in the adapter's own index (kurrentdb-event-id-index.ts) and the
 * revisions of its streams, lets `planAppend` (the rules every adapter shares) decide, claims each
 * new eventId in the index, then appends each stream's events expecting the exact revision the
 * plan saw. Whatever raced in between, it plans again from what is stored now, exactly as if the
 * appends had run one after the other.
 *
 * Atomicity, honestly: one stream's events are stored all or none (one KurrentDB append), but a
 * call touching several streams is applied stream by stream (KurrentDB before 25.1 has no
 * multi-stream append, and this client has none). Every conflict the port defines is found before
 * anything is written, so a rejected call writes nothing unless a concurrent writer moves a stream
 * between the check and the write, or the server fails part way: then the earlier streams stay
 * written. Retrying the same call completes it, since the stored events come back as duplicates.
 * recordedAt is this process's clock at the append (kept in the event's metadata).
 */
export class KurrentDbEventStore implements EventStore {
  readonly name = 'kurrentdb';

  private readonly names: StreamNames;
  private readonly index: EventIdIndex;
  private readonly maxAppendAttempts: number;
  private readonly concurrency: number;
  private readonly subscriptions = new Set<() => void>();
  private closed = false;

  /** Connects with `esdb://host:2113?tls=false` (or `kurrentdb://`, `esdb+discover://`, ...). */
  static async open(connectionString: string, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    // Loaded here so that processes on another store never load gRPC.
    const { GrpcKurrentDbConnection } = await import('./kurrentdb-grpc-connection');
    const connection = GrpcKurrentDbConnection.connect(clientConnectionString(connectionString));
    try {
      return await KurrentDbEventStore.over(connection, options);
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
  }

  /** A store over any connection (another client, or the in-memory one tests use); checks it answers. */
  static async over(connection: KurrentDbConnection, options: KurrentDbEventStoreOptions = {}): Promise<KurrentDbEventStore> {
    const [last] = await connection.readAll({ from: 'end', direction: 'backwards', maxCount: 1 });
    const startPosition = options.startPosition === 'end' ? (last ? toPortPosition(last.position) : 0) : (options.startPosition ?? 0);
    return new KurrentDbEventStore(connection, startPosition, options);
  }

  private constructor(
    private readonly connection: KurrentDbConnection,
    private readonly startPosition: number,
    options: KurrentDbEventStoreOptions,
  ) {
    this.names = new StreamNames(options.namespace ?? '');
    this.maxAppendAttempts = options.maxAppendAttempts ?? 50;
    this.concurrency = options.concurrency ?? 32;
    this.index = new EventIdIndex(connection, this.names, options.claimGraceMs ?? 2000, this.concurrency);
  }

  async append(requests: AppendRequest[]): Promise<AppendResult> {
    this.assertOpen();
    if (requests.length === 0) return { events: [], streams: {} };
    const call: AppendCall = { written: new Set(), claims: new Set(), pendingSeen: new Map() };
    for (let attempt = 1; ;) {
      try {
        return reportWrittenHere(await this.tryAppend(requests, call), call.written);
      } catch (error) {
        if (!(error instanceof PlanAgain)) throw error;
        if (error.counts && ++attempt > this.maxAppendAttempts) {
          throw new StoreUnavailableError(`kurrentdb append gave up after ${this.maxAppendAttempts} plans: ${error.message}`, error);
        }
        await sleep(error.waitMs);
      }
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const fromRevision = options.fromRevision ?? 0;
    if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) throw new TypeError(`readStream: invalid fromRevision ${fromRevision}`);
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    if (limit <= 0) return [];
    const events = await this.connection.readStream(this.names.stream(streamId), {
      from: BigInt(fromRevision),
      direction: 'forwards',
      maxCount: limit,
    });
    return events.map((event) => toStoredEvent(event, streamId));
  }

  async readAll(options: ReadAllOptions): Promise<StoredEvent[]> {
    this.assertOpen();
    readAllFrom(options.after); // validates
    const limit = Math.max(0, Math.trunc(options.limit));
    if (limit === 0) return [];
    // Index claims and system events share $all with ours: read pages a little larger than asked.
    const pageSize = Math.min(Math.max(limit * 2, 64), 4096);
    const found: StoredEvent[] = [];
    let last = Math.max(options.after, this.startPosition);
    for (;;) {
      const page = await this.connection.readAll({ from: readAllFrom(last), direction: 'forwards', maxCount: pageSize });
      const before = last;
      for (const recorded of page) {
        const position = toPortPosition(recorded.position);
        if (position <= last) continue; // the inclusive start, already handed out
        last = position;
        const streamId = this.names.portStreamOf(recorded);
        if (streamId === null) continue;
        found.push(toStoredEvent(recorded, streamId));
        if (found.length === limit) return found;
      }
      if (page.length < pageSize) return found;
      if (last === before) throw new Error(`kurrentdb readAll made no progress at position ${last}`);
    }
  }

  async findByEventIds(eventIds: string[]): Promise<Map<string, StoredEvent>> {
    this.assertOpen();
    const found = new Map<string, StoredEvent>();
    for (const lookup of await this.index.lookUp([...new Set(eventIds)])) {
      if (lookup.stored) found.set(lookup.eventId, lookup.stored);
    }
    return found;
  }

  /** Side by side, `concurrency` reads at a time (one gRPC call a stream). */
  async readStreams(reads: readonly StreamRead[]): Promise<StoredEvent[][]> {
    return mapEach([...reads], this.concurrency, ({ streamId, fromRevision }) => this.readStream(streamId, { fromRevision }));
  }

  async streamRevision(streamId: string): Promise<number> {
    this.assertOpen();
    const [last] = await this.connection.readStream(this.names.stream(streamId), { from: 'end', direction: 'backwards', maxCount: 1 });
    return last ? toPortRevision(last.revision) : -1;
  }

  /** `$all` is readable only in commit order, so the last event of ours in it is safe to read up to. */
  async headPosition(): Promise<number> {
    this.assertOpen();
    const pageSize = 256;
    let from: ReadFrom<LogPosition> = 'end';
    let last = Number.POSITIVE_INFINITY;
    for (;;) {
      const page = await this.connection.readAll({ from, direction: 'backwards', maxCount: pageSize });
      for (const recorded of page) {
        const position = toPortPosition(recorded.position);
        if (position >= last) continue;
        last = position;
        if (position <= this.startPosition) return 0;
        if (this.names.portStreamOf(recorded) !== null) return position;
      }
      if (page.length < pageSize || page.length === 0) return 0;
      from = page[page.length - 1].position!;
    }
  }

  async health(): Promise<EventStoreHealth> {
    try {
      return { store: this.name, ok: true, position: await this.headPosition() };
    } catch (error) {
      return { store: this.name, ok: false, position: 0, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /**
   * Calls `listener` when events are appended to this store by any process (a `$all`
   * subscription), to wake projectors. A wake-up, not a delivery: read from your checkpoint. After
   * the subscription drops, `listener(null)` says notices may have been missed, and it resubscribes.
   * Returns the unsubscribe function.
   */
  subscribe(listener: (notice: KurrentDbAppendNotice | null) => void): () => void {
    this.assertOpen();
    let current: AllSubscription | null = null;
    let retry: NodeJS.Timeout | undefined;
    let stopped = false;
    const start = () => {
      current = this.connection.subscribeToAll(
        (recorded) => {
          if (this.names.portStreamOf(recorded) === null || recorded.position === undefined) return;
          if (recorded.position.commit <= BigInt(this.startPosition)) return;
          listener({ position: toPortPosition(recorded.position), count: 1 });
        },
        () => {
          if (stopped) return;
          listener(null);
          void current?.close().catch(() => undefined);
          retry = setTimeout(() => !stopped && start(), 1000);
          retry.unref();
        },
      );
    };
    start();
    const unsubscribe = () => {
      stopped = true;
      clearTimeout(retry);
      this.subscriptions.delete(unsubscribe);
      void current?.close().catch(() => undefined);
    };
    this.subscriptions.add(unsubscribe);
    return unsubscribe;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const unsubscribe of [...this.subscriptions]) unsubscribe();
    await this.connection.close();
  }

  private async tryAppend(requests: AppendRequest[], call: AppendCall): Promise<AppendResult> {
    const [lookups, revisions] = await Promise.all([this.index.lookUp(requestedEventIds(requests)), this.revisions(requestedStreamIds(requests))]);
    this.index.waitForClaimsInFlight(lookups, call);

    const stored = new Map<string, StoredBody>();
    for (const { eventId, stored: event } of lookups) {
      if (event) stored.set(eventId, { ...event, data: canonicalJson(event.data) });
    }
    const plan = planAppend(requests, stored, revisions);
    if (plan.writes.length === 0) return appendResult(plan, []);

    await this.index.claim(plan.writes, lookups, call);
    const recordedAt = new Date().toISOString();
    const positions: number[] = [];
    for (const run of runsByStream(plan.writes)) {
      const { streamId, revision } = run[0];
      try {
        await this.connection.append(
          this.names.stream(streamId),
          run.map((write) => toEventToWrite(write, recordedAt)),
          toStreamExpectation(revision - 1),
        );
      } catch (error) {
        if (error instanceof StreamRevisionConflict) throw new PlanAgain(`stream ${streamId} moved`, jitter(5));
        throw error;
      }
      for (const write of run) call.written.add(write.eventId);
      positions.push(...(await this.positionsOf(run)));
    }
    return appendResult(plan, positions);
  }

  private async revisions(streamIds: string[]): Promise<Map<string, number>> {
    const revisions = await mapEach(streamIds, this.concurrency, (streamId) => this.streamRevision(streamId));
    return new Map(streamIds.map((streamId, i) => [streamId, revisions[i]]));
  }

  /** Read back: the positions KurrentDB gave the events of one stream append. */
  private async positionsOf(run: PlannedWrite[]): Promise<number[]> {
    const { streamId, revision } = run[0];
    const events = await this.connection.readStream(this.names.stream(streamId), {
      from: BigInt(revision),
      direction: 'forwards',
      maxCount: run.length,
    });
    return run.map((write, i) => {
      const event = events[i];
      if (event === undefined || toStoredEvent(event, streamId).eventId !== write.eventId) {
        throw new Error(`kurrentdb: stream ${streamId} does not hold ${write.eventId} at revision ${write.revision} right after appending it`);
      }
      return toPortPosition(event.position);
    });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the kurrentdb event store is closed');
  }
}

/** The first mention of an event this call wrote is not a duplicate, even if a later plan found it stored. */
function reportWrittenHere(result: AppendResult, written: Set<string>): AppendResult {
  if (written.size === 0) return result;
  const reported = new Set<string>();
  const events = result.events.map((event) => {
    if (!written.has(event.eventId)) return event;
    const duplicate = reported.has(event.eventId);
    reported.add(event.eventId);
    return { ...event, duplicate };
  });
  return { ...result, events };
}

/** Consecutive writes to one stream: one KurrentDB append each, in plan order. */
function runsByStream(writes: PlannedWrite[]): PlannedWrite[][] {
  const runs: PlannedWrite[][] = [];
  for (const write of writes) {
    const run = runs[runs.length - 1];
    if (run && run[0].streamId === write.streamId) run.push(write);
    else runs.push([write]);
  }
  return runs;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
