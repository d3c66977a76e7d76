/**
 * The outbound publisher never stops on one event it cannot publish: without a broker (a
 * producer that records what it is given, through the `kafka` option) and on a real SQLite
 * store, a malformed stage change is parked with its reason while every other outbound event is
 * published in log order and the position reaches the head; a retry publishes it only once it can
 * be made into a message, once, and then nothing is parked.
 */
import type { EventStore, NewEvent } from '@journeyline/event-store';
import { parkedEvents, type ReadModelDatabase } from '@journeyline/projections';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import type { Kafka, Message, ProducerBatch, ProducerRecord } from 'kafkajs';
import { OUTBOUND_HEADERS } from './outbound-messages';
import { OutboundPublisher, type OutboundStep } from './outbound-publisher';

const topics = { stageChanges: 'journey.stage-changes', churnFlags: 'journey.churn-flags' };
const at = '2026-11-20T02:00:00.000Z';

/** A producer that takes every message at once and remembers each one's topic and eventId header; `whileSending` runs inside each send. */
function recordingKafka(whileSending: () => Promise<void> = async () => undefined) {
  const sent: string[] = [];
  const record = (topic: string, messages: Message[]) => {
    for (const m of messages) sent.push(`${topic} ${String(m.headers?.[OUTBOUND_HEADERS.eventId])}`);
  };
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    sendBatch: async ({ topicMessages }: ProducerBatch) => {
      await whileSending();
      for (const t of topicMessages ?? []) record(t.topic, t.messages);
      return [];
    },
    send: async ({ topic, messages }: ProducerRecord) => {
      record(topic, messages);
      return [];
    },
  };
  return { sent, kafka: { producer: () => producer } as unknown as Kafka };
}

const entered = (eventId: string, stage: string): NewEvent => ({
  eventId,
  type: 'StageEntered',
  occurredAt: at,
  data: { stage, from: null, timeInPreviousStageMs: null, causationId: 'v-1' },
});

/** The store as a fixed reader would see it: the parked event's data now reads (as an upcaster added after the fact would make it). */
function withRepaired(store: EventStore, eventId: string, data: Record<string, unknown>): EventStore {
  return new Proxy(store, {
    get(target, key) {
      if (key === 'findByEventIds')
        return async (ids: string[]) => {
          const found = await target.findByEventIds(ids);
          const event = found.get(eventId);
          if (event) found.set(eventId, { ...event, data });
          return found;
        };
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('outbound publisher: parked events', () => {
  it('given a malformed stage change between good ones, when published, it is parked with its reason and every other outbound event is published in order', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.store.append([
        { streamId: 'customer-c-1', expectedRevision: 'any', events: [entered('stage c-1', 'awareness')] },
        { streamId: 'customer-c-2', expectedRevision: 'any', events: [entered('stage c-2', 'nowhere')] },
        {
          streamId: 'customer-c-3',
          expectedRevision: 'any',
          events: [
            entered('stage c-3', 'evaluation'),
            {
              eventId: 'flag c-3',
              type: 'ChurnRiskFlagged',
              occurredAt: at,
              data: { rule: 'r', reason: 'x', evidence: ['t-1'], episodeId: 'churn-risk c-3 r t-1' },
            },
          ],
        },
      ]);
      const { sent, kafka } = recordingKafka();
      const db = h.readModels();
      const publisher = new OutboundPublisher({ kafka, store: h.store, db, topics, batchSize: 2 });

      await publisher.catchUp();

      expect(sent).toEqual(['journey.stage-changes stage c-1', 'journey.stage-changes stage c-3', 'journey.churn-flags flag c-3']);
      expect(await publisher.position()).toBe(await h.store.headPosition());
      expect(await parkedEvents(db.reader, 'kafka-outbound')).toEqual([
        expect.objectContaining({
          eventId: 'stage c-2',
          streamId: 'customer-c-2',
          type: 'StageEntered',
          error: expect.stringMatching(/^malformed StageEntered: data\.stage must be one of/),
        }),
      ]);
      expect(publisher.status(await publisher.position()).parked).toBe(1);

      // a retry while the cause remains publishes nothing and keeps it parked
      expect(await publisher.retryParked()).toEqual({ published: 0, stillParked: 1 });
      expect(sent).toHaveLength(3);
      await publisher.stop();
    });
  });

  it('given a parked event that can be published after a fix, when retried, it is published once and nothing stays parked; retrying again sends nothing', async () => {
    await withHarness(sqliteHarness(), async (h) => {
      await h.store.append([
        { streamId: 'customer-c-1', expectedRevision: 'any', events: [entered('stage c-1', 'awareness')] },
        { streamId: 'customer-c-2', expectedRevision: 'any', events: [entered('stage c-2', 'nowhere')] },
      ]);
      const db = h.readModels();
      const before = recordingKafka();
      const broken = new OutboundPublisher({ kafka: before.kafka, store: h.store, db, topics });
      await broken.catchUp();
      await broken.stop();
      expect(before.sent).toEqual(['journey.stage-changes stage c-1']);

      // the worker restarts with the fix: start() retries what is parked, then follows the log
      const after = recordingKafka();
      const fixed = new OutboundPublisher({
        kafka: after.kafka,
        store: withRepaired(h.store, 'stage c-2', { stage: 'awareness', from: null, timeInPreviousStageMs: null, causationId: 'v-1' }),
        db,
        topics,
      });
      await fixed.start();
      expect(after.sent).toEqual(['journey.stage-changes stage c-2']);
      expect(await parkedEvents(db.reader, 'kafka-outbound')).toEqual([]);
      expect(fixed.status(await fixed.position()).parked).toBe(0);

      expect(await fixed.retryParked()).toEqual({ published: 0, stillParked: 0 });
      expect(await fixed.catchUp()).toBe(0);
      expect(after.sent).toEqual(['journey.stage-changes stage c-2']);
      await fixed.stop();
    });
  });
});

describe('outbound publisher: the publishing lease', () => {
  const LEASE_MS = 10_000;

  /**
   * Publisher A takes a step on a slow machine: its read of the step takes `readMs` and each of its
   * transactions waits `lockWaitMs` for the write lock (another process's projector holding it).
   * While A's batch is in the producer, `sendMs` pass and publisher B, on the same database, tries
   * a step. B must find the lease still A's: otherwise both publish the step.
   */
  async function slowStep(readMs: number, lockWaitMs: number, sendMs: number) {
    let outcome: { step: OutboundStep; duringSend: { leader?: boolean }; sentByA: string[]; sentByB: string[] } | undefined;
    await withHarness(sqliteHarness(), async (h) => {
      await h.store.append(
        ['c-1', 'c-2', 'c-3'].map((customer) => ({
          streamId: `customer-${customer}`,
          expectedRevision: 'any' as const,
          events: [entered(`stage ${customer}`, 'awareness')],
        })),
      );
      const now = { ms: Date.parse(at) };
      const clock = () => now.ms;
      const db = h.readModels();
      const b = recordingKafka();
      const publisherB = new OutboundPublisher({ kafka: b.kafka, store: h.store, db, topics, clock, leaseMs: LEASE_MS });
      const duringSend: { leader?: boolean } = {};
      const a = recordingKafka(async () => {
        now.ms += sendMs;
        duringSend.leader = (await publisherB.publishNextStep()).leader;
      });
      const slowStore = new Proxy(h.store, {
        get(target, key) {
          if (key === 'readAll') return async (...args: Parameters<EventStore['readAll']>) => ((now.ms += readMs), target.readAll(...args));
          const value: unknown = Reflect.get(target, key, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const lockedDb: ReadModelDatabase = {
        reader: db.reader,
        queries: db.queries,
        close: () => db.close(),
        transaction: (work) => ((now.ms += lockWaitMs), db.transaction(work)),
      };
      const publisherA = new OutboundPublisher({ kafka: a.kafka, store: slowStore, db: lockedDb, topics, clock, leaseMs: LEASE_MS });

      const step = await publisherA.publishNextStep();
      await publisherB.catchUp();
      await publisherA.stop();
      await publisherB.stop();
      outcome = { step, duringSend, sentByA: a.sent, sentByB: b.sent };
    });
    return outcome!;
  }

  it('given a step whose read used most of the lease, when it sends, it renews the lease first: a second publisher does not take over mid-step', async () => {
    const { step, duringSend, sentByA, sentByB } = await slowStep(0.8 * LEASE_MS, 0, 0.3 * LEASE_MS);
    expect(step).toMatchObject({ leader: true, events: 3, messages: 3 });
    expect(duringSend.leader).toBe(false);
    expect(sentByA).toEqual(['journey.stage-changes stage c-1', 'journey.stage-changes stage c-2', 'journey.stage-changes stage c-3']);
    expect(sentByB).toEqual([]);
  });

  it('given a long wait for the write lock, the lease runs from when the lock was had, not from when it was asked for', async () => {
    const { step, duringSend, sentByA, sentByB } = await slowStep(0, 0.9 * LEASE_MS, 0.3 * LEASE_MS);
    expect(step).toMatchObject({ leader: true, events: 3 });
    expect(duringSend.leader).toBe(false);
    expect(sentByA).toHaveLength(3);
    expect(sentByB).toEqual([]);
  });
});
