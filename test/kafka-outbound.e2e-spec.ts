import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SqliteEventStore } from '@journeyline/event-store';
import { DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { JourneyEventConsumer, OUTBOUND_HEADERS, OutboundPublisher, consumerGroupLag, type OutboundEvent } from '@journeyline/kafka';
import { ChurnRiskProcess, journeylineProjections, Projector, SqliteReadModelDatabase } from '@journeyline/projections';
import type { Kafka } from 'kafkajs';
import { useKafkaBroker } from './support/kafka-broker';
import { createTopics, deleteTopics, kafkaTestRun, produce, readTopic, testKafka, type KafkaTestRun, type ReadMessage } from './support/kafka-topics';
import { localPersonalData } from '@journeyline/privacy/testing/personal-data';

/**
 * Outbound topics after a scripted journey: journey.stage-changes and journey.churn-flags hold
 * exactly the expected messages; restarting the publisher or rebuilding the projections
 * publishes nothing again; a crash between the broker's ack and the position commit re-publishes
 * that one step and nothing else, with the eventId header to drop the repeats by.
 */
const HCM = (day: number, hour = 9) => `2026-11-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00+07:00`;
const utc = (day: number, hour = 9) => new Date(Date.parse(HCM(day, hour))).toISOString();
const visit = (eventId: string, customerId: string, stage: string, day: number) => ({
  eventId,
  type: 'touchpoint.visited',
  customerId,
  occurredAt: HCM(day),
  data: { touchpoint: `tp-${stage}`, channel: 'web', stage },
});

const ana = [
  visit('a-1', 'c-ana', 'awareness', 1),
  visit('a-2', 'c-ana', 'evaluation', 2),
  visit('a-3', 'c-ana', 'choice', 3),
  { eventId: 'a-4', type: 'purchase.made', customerId: 'c-ana', occurredAt: HCM(4), data: { orderId: 'o-ana-1', amount: 1_990_000 } },
  visit('a-5', 'c-ana', 'evaluation', 5), // back from purchase to evaluation: a regression
  { eventId: 'a-6', type: 'ticket.opened', customerId: 'c-ana', occurredAt: HCM(6), data: { ticketId: 'T-1', touchpoint: 'hotline', channel: 'phone' } },
];
const binh = [
  visit('b-1', 'c-binh', 'awareness', 1),
  {
    eventId: 'b-2',
    type: 'feedback.given',
    customerId: 'c-binh',
    occurredAt: HCM(2),
    data: { kind: 'ces', score: 1, scale: '1-7', touchpoint: 'hotline', channel: 'phone' },
  },
  {
    eventId: 'b-3',
    type: 'feedback.given',
    customerId: 'c-binh',
    occurredAt: HCM(3),
    data: { kind: 'ces', score: 2, scale: '1-7', touchpoint: 'hotline', channel: 'phone' },
  },
];
const resolved = { eventId: 'a-7', type: 'ticket.resolved', customerId: 'c-ana', occurredAt: HCM(9, 10), data: { ticketId: 'T-1' } };

describe('outbound stage changes and churn flags on a real broker (e2e)', () => {
  const broker = useKafkaBroker();
  const runs: KafkaTestRun[] = [];
  let kafka: Kafka;
  let dir: string;
  let store: SqliteEventStore;
  let readModels: SqliteReadModelDatabase;
  let run: KafkaTestRun;

  beforeAll(async () => {
    kafka = testKafka(broker.brokers);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'journeyline-outbound-'));
    store = SqliteEventStore.open(path.join(dir, 'journeyline.db'));
    readModels = SqliteReadModelDatabase.open(path.join(dir, 'read-models.db'));
    run = kafkaTestRun('outbound');
    runs.push(run);
    await createTopics(kafka, Object.values(run.topics), 3);
  });
  broker.cleanUp(async () => {
    await readModels?.close();
    await store?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await deleteTopics(
      kafka,
      runs.flatMap((r) => Object.values(r.topics)),
    );
  });

  /** Produces, and waits until the in-process consumer has committed all of it. */
  async function ingest(consumer: JourneyEventConsumer, events: object[]) {
    await produce(
      kafka,
      run.topics.events,
      events.map((e) => ({ key: (e as { customerId: string }).customerId, value: JSON.stringify(e) })),
    );
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const deadline = Date.now() + 30_000; ;) {
        if ((await consumerGroupLag(admin, run.groupId, run.topics.events)).total === 0) return;
        if (Date.now() > deadline) throw new Error('the consumer did not catch up');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await admin.disconnect();
    }
  }

  const publisher = (options: Partial<ConstructorParameters<typeof OutboundPublisher>[0]> = {}) =>
    new OutboundPublisher({ kafka, store, db: readModels, topics: run.topics, ...options });
  const summary = (messages: ReadMessage[]) =>
    messages.map((m) => {
      const value = JSON.parse(m.value!.toString()) as OutboundEvent;
      expect(m.headers[OUTBOUND_HEADERS.eventId]).toBe(value.eventId);
      expect(m.key).toBe(value.customerId);
      return {
        key: m.key,
        type: value.type,
        ...('stage' in value.data ? { stage: value.data.stage, from: value.data.from } : { rule: value.data.rule, at: value.occurredAt }),
      };
    });
  const byCustomer = <T extends { key: string | null }>(rows: T[]) => [...rows].sort((a, b) => String(a.key).localeCompare(String(b.key)));

  it('after a scripted journey the topics hold exactly the expected messages, and a restart or a rebuild adds none', async () => {
    const consumer = new JourneyEventConsumer({
      kafka,
      store,
      personal: localPersonalData(),
      topic: run.topics.events,
      deadLetterTopic: run.topics.deadLetters,
      groupId: run.groupId,
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    await consumer.start();
    const clock = { now: new Date(utc(9, 9)) };
    const churnRisk = new ChurnRiskProcess(store, readModels, DEFAULT_CHURN_RULES, { clock: () => clock.now });
    const first = publisher();
    try {
      await ingest(consumer, [...ana, ...binh]);
      await churnRisk.runOnce(); // day 9, 09:00: Ana's ticket has been open 72 hours; Bình gave two hard CES answers
      await first.catchUp();
      await ingest(consumer, [resolved]);
      clock.now = new Date(utc(9, 11));
      await churnRisk.runOnce(); // the ticket is resolved: Ana's flag clears
      await first.catchUp();
    } finally {
      await consumer.stop();
      await first.stop();
    }

    const stageChanges = await readTopic(kafka, run.topics.stageChanges);
    const churnFlags = await readTopic(kafka, run.topics.churnFlags);
    expect(byCustomer(summary(stageChanges))).toEqual([
      { key: 'c-ana', type: 'stage.entered', stage: 'awareness', from: null },
      { key: 'c-ana', type: 'stage.entered', stage: 'evaluation', from: 'awareness' },
      { key: 'c-ana', type: 'stage.entered', stage: 'choice', from: 'evaluation' },
      { key: 'c-ana', type: 'stage.entered', stage: 'purchase', from: 'choice' },
      { key: 'c-ana', type: 'stage.regressed', stage: 'evaluation', from: 'purchase' },
      { key: 'c-binh', type: 'stage.entered', stage: 'awareness', from: null },
    ]);
    expect(byCustomer(summary(churnFlags))).toEqual([
      { key: 'c-ana', type: 'churn-risk.flagged', rule: 'ticket-open-too-long', at: utc(8) },
      { key: 'c-ana', type: 'churn-risk.cleared', rule: 'ticket-open-too-long', at: utc(9, 10) },
      { key: 'c-binh', type: 'churn-risk.flagged', rule: 'repeated-hard-effort', at: utc(3) },
    ]);
    const flagged = JSON.parse(churnFlags.find((m) => m.key === 'c-binh')!.value!.toString()) as OutboundEvent;
    expect(flagged.data).toMatchObject({ rule: 'repeated-hard-effort', evidence: ['b-2', 'b-3'], episodeId: flagged.eventId });
    // one customer, one partition, in log order
    for (const topic of [stageChanges, churnFlags]) {
      for (const key of ['c-ana', 'c-binh']) {
        const mine = topic.filter((m) => m.key === key);
        expect(new Set(mine.map((m) => m.partition)).size).toBeLessThanOrEqual(1);
        const positions = mine.map((m) => Number(m.headers[OUTBOUND_HEADERS.position]));
        expect(positions).toEqual([...positions].sort((a, b) => a - b));
      }
    }

    // A restarted publisher resumes from its own position: nothing again.
    const restarted = publisher();
    expect(await restarted.catchUp()).toBe(0);
    // A projection rebuild does not touch the publisher's position.
    const projector = new Projector(store, readModels, journeylineProjections(store, 'Asia/Ho_Chi_Minh'));
    await projector.rebuild();
    expect(await restarted.catchUp()).toBe(0);
    await restarted.stop();
    expect(await restarted.position()).toBe(await store.headPosition());
    expect(await readTopic(kafka, run.topics.stageChanges)).toHaveLength(stageChanges.length);
    expect(await readTopic(kafka, run.topics.churnFlags)).toHaveLength(churnFlags.length);
  }, 90_000);

  it('a crash between the broker ack and the position commit re-publishes that one step, with the same eventId headers', async () => {
    const crashRun = kafkaTestRun('outbound-crash');
    runs.push(crashRun);
    await createTopics(kafka, [crashRun.topics.stageChanges, crashRun.topics.churnFlags], 3);
    let steps = 0;
    let crashedStep: string[] = [];
    const now = { ms: Date.now() };
    const crashing = publisher({
      name: 'crash-test',
      topics: crashRun.topics,
      batchSize: 4,
      leaseMs: 10_000,
      clock: () => now.ms,
      beforeCheckpoint: (events) => {
        if (++steps === 2) {
          crashedStep = events.map((e) => e.eventId);
          throw new Error('simulated crash after the ack');
        }
      },
    });
    await expect(crashing.catchUp()).rejects.toThrow('simulated crash after the ack');
    // A crashed process hands nothing back: its successor waits for the lease to lapse.
    const successor = publisher({ name: 'crash-test', topics: crashRun.topics, batchSize: 4, clock: () => now.ms });
    expect(await successor.publishNextStep()).toMatchObject({ leader: false, events: 0 });
    now.ms += 10_001;
    await successor.catchUp();
    await successor.stop();
    await crashing.stop(); // only disconnects: the lease is no longer its to release

    const ids = [...(await readTopic(kafka, crashRun.topics.stageChanges)), ...(await readTopic(kafka, crashRun.topics.churnFlags))].map(
      (m) => m.headers[OUTBOUND_HEADERS.eventId],
    );
    const expected = (await store.readAll({ after: 0, limit: 10_000 }))
      .filter((e) => ['StageEntered', 'StageRegressed', 'ChurnRiskFlagged', 'ChurnRiskCleared'].includes(e.type))
      .map((e) => e.eventId);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(repeated.length).toBeGreaterThan(0);
    expect(repeated.every((id) => crashedStep.includes(id))).toBe(true);
    expect(ids).toHaveLength(expected.length + repeated.length);
  }, 60_000);
});
