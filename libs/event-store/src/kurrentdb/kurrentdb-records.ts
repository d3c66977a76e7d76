import { createHash } from 'node:crypto';
import type { PlannedWrite } from '../append-plan';
import type { ExpectedRevision, StoredEvent } from '../event-store.port';
import type { EventToWrite, LogPosition, ReadFrom, RecordedEvent, StreamExpectation } from './kurrentdb-connection';

/**
 * How port events map onto KurrentDB records and back, as pure functions: positions, revisions,
 * expected revisions, event ids, metadata, stream names and which `$all` records are ours.
 */

/** Metadata every event this adapter writes carries (KurrentDB keeps `type` and `data` itself). */
export interface JourneylineMetadata {
  eventId: string;
  occurredAt: string;
  recordedAt: string;
}

/**
 * A port position is the event's commit position in `$all`: the byte offset of its record in the
 * transaction log. Every event appended through gRPC is its own commit point, so the commit
 * position is unique per event and `$all` order is commit order (prepare equals commit; only the
 * legacy TCP API's explicit transactions gave several events one commit position). Offsets grow by
 * the size of each record, so positions are increasing but far apart. A JS number holds them
 * exactly up to 2^53 bytes (8 PiB) of log; past that this throws rather than round.
 */
export function toPortPosition(position: LogPosition | undefined): number {
  if (position === undefined) {
    throw new Error('KurrentDB returned an event without its log position: Journeyline needs EventStoreDB 22.10+ or KurrentDB');
  }
  if (position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`KurrentDB commit position ${position.commit} is beyond 2^53 and cannot be a port position`);
  }
  return Number(position.commit);
}

/** Where a forwards read of `$all` starts so that it returns `after` itself first (inclusive). */
export function readAllFrom(after: number): ReadFrom<LogPosition> {
  if (!Number.isSafeInteger(after) || after < 0) throw new TypeError(`readAll: after must be a whole number ≥ 0, got ${after}`);
  if (after === 0) return 'start';
  return { commit: BigInt(after), prepare: BigInt(after) };
}

/** A revision as the port counts it (KurrentDB counts from 0 too). */
export function toPortRevision(revision: bigint): number {
  if (revision > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`KurrentDB revision ${revision} is beyond 2^53`);
  return Number(revision);
}

/** The port's expected revision in KurrentDB's terms; -1 ("at no event") is KurrentDB's NO_STREAM. */
export function toStreamExpectation(expected: ExpectedRevision): StreamExpectation {
  if (expected === 'any') return 'any';
  if (expected === 'no_stream' || expected === -1) return 'no_stream';
  if (!Number.isSafeInteger(expected) || expected < -1) throw new TypeError(`invalid expected revision ${String(expected)}`);
  return BigInt(expected);
}

/**
 * KurrentDB event ids are UUIDs; port event ids are any string. A name-based UUID (RFC 4122 version
 * 5, SHA-1) of the port id is stable, so a retried write carries the same KurrentDB id and the
 * server's own short-window duplicate check can recognise it too.
 */
export const EVENT_ID_NAMESPACE = '0f6a1c9e-3b7d-4c2a-9f61-6c1e5d8b2a47';

export function eventUuid(eventId: string, namespace = EVENT_ID_NAMESPACE): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(eventId, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toEventToWrite(write: PlannedWrite, recordedAt: string): EventToWrite {
  const metadata: JourneylineMetadata = { eventId: write.eventId, occurredAt: write.occurredAt, recordedAt };
  return {
    id: eventUuid(write.eventId),
    type: write.type,
    data: JSON.parse(write.data) as Record<string, unknown>,
    metadata: { ...metadata },
  };
}

/**
 * A recorded event as the port sees it. Events written by other tools decode too: without our
 * metadata the KurrentDB id stands in for the eventId and the server's `created` time for both
 * times; data that is not a JSON object reads as `{}`.
 */
export function toStoredEvent(recorded: RecordedEvent, streamId: string): StoredEvent {
  const metadata = isPlainObject(recorded.metadata) ? recorded.metadata : {};
  const created = recorded.created.toISOString();
  return {
    eventId: text(metadata.eventId) ?? recorded.id,
    streamId,
    revision: toPortRevision(recorded.revision),
    position: toPortPosition(recorded.position),
    type: recorded.type,
    data: isPlainObject(recorded.data) ? recorded.data : {},
    occurredAt: text(metadata.occurredAt) ?? created,
    recordedAt: text(metadata.recordedAt) ?? created,
  };
}

/**
 * Stream names. A namespace (default none) lets several Journeyline stores share one KurrentDB
 * database, as a schema does in PostgreSQL; the contract tests give each test its own. A store
 * without a namespace sees every non-system stream of the database, namespaced ones included.
 * Streams whose name contains `journeyline-event-id-` are the adapter's event id index (in any
 * namespace), never port streams.
 */
export const EVENT_ID_STREAM_PREFIX = 'journeyline-event-id-';

export class StreamNames {
  constructor(readonly namespace = '') {
    if (namespace.startsWith('$')) throw new TypeError('a KurrentDB namespace must not start with $ (system streams)');
  }

  /** The KurrentDB stream of a port stream. */
  stream(streamId: string): string {
    if (streamId.startsWith('$') || streamId.includes(EVENT_ID_STREAM_PREFIX)) {
      throw new TypeError(`stream ids starting with $ or containing ${EVENT_ID_STREAM_PREFIX} are reserved in the kurrentdb event store`);
    }
    return this.namespace + streamId;
  }

  /** The index stream that records which stream and revision hold an eventId. */
  eventIdStream(eventId: string): string {
    return `${this.namespace}${EVENT_ID_STREAM_PREFIX}${eventId}`;
  }

  /** The port stream of a `$all` record, or null for system events, index records and other namespaces. */
  portStreamOf(recorded: Pick<RecordedEvent, 'streamId' | 'type'>): string | null {
    const { streamId, type } = recorded;
    if (streamId.startsWith('$') || type.startsWith('$')) return null;
    if (!streamId.startsWith(this.namespace)) return null;
    const portStream = streamId.slice(this.namespace.length);
    if (portStream === '' || portStream.includes(EVENT_ID_STREAM_PREFIX)) return null;
    return portStream;
  }
}

/**
 * The client speaks `esdb://` and `esdb+discover://`; KurrentDB's own names for them
 * (`kurrentdb://`, `kdb://`, with `+discover`) are accepted and translated.
 */
export function clientConnectionString(url: string): string {
  return url.trim().replace(/^(?:kurrentdb|kurrent|kdb)(\+discover)?:\/\//i, (_match, discover: string | undefined) => `esdb${discover ?? ''}://`);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}
