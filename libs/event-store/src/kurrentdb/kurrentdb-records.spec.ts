import { canonicalJson } from '../canonical-json';
import type { RecordedEvent } from './kurrentdb-connection';
import {
  clientConnectionString,
  eventUuid,
  readAllFrom,
  StreamNames,
  toEventToWrite,
  toPortPosition,
  toPortRevision,
  toStoredEvent,
  toStreamExpectation,
} from './kurrentdb-records';

describe('KurrentDB records', () => {
  describe('positions', () => {
    it('are commit positions: byte offsets in the log, kept exactly as numbers', () => {
      expect(toPortPosition({ commit: 7_340_032_218n, prepare: 7_340_032_218n })).toBe(7_340_032_218);
      const largest = BigInt(Number.MAX_SAFE_INTEGER);
      expect(toPortPosition({ commit: largest, prepare: largest })).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('refuse a log beyond 2^53 bytes rather than round', () => {
      const beyond = BigInt(Number.MAX_SAFE_INTEGER) + 2n;
      expect(() => toPortPosition({ commit: beyond, prepare: beyond })).toThrow(RangeError);
    });

    it('must be present (servers before 22.6 leave them out of stream reads)', () => {
      expect(() => toPortPosition(undefined)).toThrow(/22\.10\+ or KurrentDB/);
    });

    it('turn back into the inclusive start of a forwards $all read; 0 is the start of the log', () => {
      expect(readAllFrom(0)).toBe('start');
      expect(readAllFrom(7_340_032_218)).toEqual({ commit: 7_340_032_218n, prepare: 7_340_032_218n });
      expect(() => readAllFrom(-1)).toThrow(TypeError);
      expect(() => readAllFrom(1.5)).toThrow(TypeError);
    });
  });

  describe('expected revisions', () => {
    it.each([
      ['no_stream', 'no_stream'],
      ['any', 'any'],
      [-1, 'no_stream'],
      [0, 0n],
      [41, 41n],
    ] as const)('map %p to %p', (port, kurrent) => {
      expect(toStreamExpectation(port)).toBe(kurrent);
    });

    it('refuse what is not a revision', () => {
      expect(() => toStreamExpectation(-2)).toThrow(TypeError);
      expect(() => toStreamExpectation(0.5)).toThrow(TypeError);
    });

    it('read back as numbers', () => {
      expect(toPortRevision(12n)).toBe(12);
      expect(() => toPortRevision(2n ** 60n)).toThrow(RangeError);
    });
  });

  describe('event ids', () => {
    it('become RFC 4122 version 5 UUIDs (the RFC test vector)', () => {
      expect(eventUuid('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    });

    it('map the same port id to the same UUID, and different ids to different UUIDs', () => {
      expect(eventUuid('5f0c-nps-1042')).toBe(eventUuid('5f0c-nps-1042'));
      expect(eventUuid('5f0c-nps-1042')).not.toBe(eventUuid('5f0c-nps-1043'));
      expect(eventUuid('e-1')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });
  });

  describe('an event written and read back', () => {
    const write = {
      eventId: 'fb-9c1',
      streamId: 'customer-c-1042',
      revision: 3,
      type: 'feedback.given',
      data: canonicalJson({ kind: 'nps', score: 9, scale: '0-10', comment: 'Nhân viên hỗ trợ nhanh', nested: { b: [1, null], a: true } }),
      occurredAt: '2026-11-20T02:15:00.000Z',
    };
    const recordedAt = '2026-11-20T02:15:03.125Z';

    function asRecorded(streamId: string): RecordedEvent {
      const sent = toEventToWrite(write, recordedAt);
      return {
        streamId,
        id: sent.id,
        type: sent.type,
        revision: 3n,
        data: JSON.parse(JSON.stringify(sent.data)),
        metadata: JSON.parse(JSON.stringify(sent.metadata)),
        created: new Date('2026-11-20T02:15:03.200Z'),
        position: { commit: 9_000_123n, prepare: 9_000_123n },
      };
    }

    it('carries type as the KurrentDB type, data as JSON, and eventId and both times in metadata', () => {
      const sent = toEventToWrite(write, recordedAt);
      expect(sent).toEqual({
        id: eventUuid('fb-9c1'),
        type: 'feedback.given',
        data: JSON.parse(write.data),
        metadata: { eventId: 'fb-9c1', occurredAt: write.occurredAt, recordedAt },
      });
    });

    it('round-trips to the StoredEvent the port promised', () => {
      expect(toStoredEvent(asRecorded('customer-c-1042'), 'customer-c-1042')).toEqual({
        eventId: 'fb-9c1',
        streamId: 'customer-c-1042',
        revision: 3,
        position: 9_000_123,
        type: 'feedback.given',
        data: JSON.parse(write.data),
        occurredAt: write.occurredAt,
        recordedAt,
      });
    });

    it('reads an event written by another tool with the KurrentDB id and server time standing in', () => {
      const foreign = { ...asRecorded('customer-x'), id: '3c0b1c7e-0000-4000-8000-000000000001', metadata: new Uint8Array([1]), data: [1, 2] };
      expect(toStoredEvent(foreign, 'customer-x')).toMatchObject({
        eventId: '3c0b1c7e-0000-4000-8000-000000000001',
        data: {},
        occurredAt: '2026-11-20T02:15:03.200Z',
        recordedAt: '2026-11-20T02:15:03.200Z',
      });
    });
  });

  describe('stream names', () => {
    const record = (streamId: string, type = 'touchpoint.visited') => ({ streamId, type });

    it('are the port stream ids as given, without a namespace', () => {
      const names = new StreamNames();
      expect(names.stream('customer-c-1042')).toBe('customer-c-1042');
      expect(names.portStreamOf(record('customer-c-1042'))).toBe('customer-c-1042');
    });

    it('leave system events, the event id index and other namespaces out of the port', () => {
      const names = new StreamNames();
      expect(names.portStreamOf(record('$stats-127.0.0.1:2113'))).toBeNull();
      expect(names.portStreamOf(record('customer-1', '$>'))).toBeNull();
      expect(names.portStreamOf(record(names.eventIdStream('e-1'), 'journeyline.event-id-claimed'))).toBeNull();

      const staging = new StreamNames('staging/');
      expect(staging.stream('customer-1')).toBe('staging/customer-1');
      expect(staging.portStreamOf(record('staging/customer-1'))).toBe('customer-1');
      expect(staging.portStreamOf(record('customer-1'))).toBeNull();
      expect(staging.portStreamOf(record(staging.eventIdStream('e-1')))).toBeNull();
    });

    it('refuse port streams KurrentDB or the index own', () => {
      expect(() => new StreamNames().stream('$all')).toThrow(TypeError);
      expect(() => new StreamNames().stream('journeyline-event-id-x')).toThrow(TypeError);
      expect(() => new StreamNames('$x')).toThrow(TypeError);
    });
  });

  it.each([
    ['esdb://127.0.0.1:2113?tls=false', 'esdb://127.0.0.1:2113?tls=false'],
    ['kurrentdb://127.0.0.1:2113?tls=false', 'esdb://127.0.0.1:2113?tls=false'],
    ['kurrentdb+discover://cluster.example:2113', 'esdb+discover://cluster.example:2113'],
    ['kdb://admin:changeit@10.0.0.5:2113', 'esdb://admin:changeit@10.0.0.5:2113'],
  ])('hands the client %s as %s', (given, expected) => {
    expect(clientConnectionString(given)).toBe(expected);
  });
});
