/** The process manager on a real SQLite store: a scripted journey under a hand-moved clock, replays and races. */
import type { AppendRequest, EventStore } from '@journeyline/event-store';
import { churnRiskClearedEventId, churnRiskEpisodeId, DEFAULT_CHURN_RULES } from '@journeyline/journey';
import { sqliteHarness, withHarness } from '@journeyline/projections/testing/projection-harness';
import { parkedEvents } from '../runtime/parked-events';
import { CHURN_RISK_PROCESS_COMPONENT, ChurnRiskProcess } from './churn-risk.process';
import {
  at,
  cesCmd,
  churnRiskEvents,
  manualClock,
  npsCmd,
  openTicketCmd,
  purchaseCmd,
  resolveTicketCmd,
  visitCmd,
} from '@journeyline/projections/testing/churn-risk-journeys';

const DETRACTOR = 'Dissatisfied customer (NPS detractor) with no use of the service for 30 days';
const HARD_EFFORT = '2 hard-effort answers (low CES) within 14 days';
const TICKET = 'Support ticket unresolved for more than 48 hours';
const INACTIVE = 'No activity for 30 days after a purchase';

const flag = (customer: string, rule: string, key: string, when: string, reason: string, evidence: string[]) => {
  const episodeId = churnRiskEpisodeId(customer, rule, key);
  return { streamId: `customer-${customer}`, type: 'ChurnRiskFlagged', eventId: episodeId, occurredAt: when, data: { rule, reason, evidence, episodeId } };
};
const clear = (customer: string, rule: string, key: string, when: string, reason: string) => {
  const episodeId = churnRiskEpisodeId(customer, rule, key);
  return {
    streamId: `customer-${customer}`,
    type: 'ChurnRiskCleared',
    eventId: churnRiskClearedEventId(episodeId),
    occurredAt: when,
    data: { rule, reason, episodeId },
  };
};

/**
 * c-1 buys, answers NPS 3 and opens a ticket; c-2 gives two hard CES answers; c-3 just looks.
 * The clock walks from day 4 to day 40 while the process runs as it would live.
 */
async function scriptedJourney() {
  const h = sqliteHarness();
  const time = manualClock(at(4, 12));
  const db = h.readModels();
  const process = new ChurnRiskProcess(h.store, db, DEFAULT_CHURN_RULES, { clock: time.clock, batchSize: 3 });
  await h.record([
    visitCmd('a1', 'c-1', 'awareness', at(1)),
    purchaseCmd('p1', 'c-1', at(2)),
    npsCmd('f1', 'c-1', 3, at(3)),
    openTicketCmd('o1', 'c-1', 't-1', at(4)),
    visitCmd('a2', 'c-2', 'awareness', at(1)),
    cesCmd('e1', 'c-2', 1, at(2)),
    visitCmd('a3', 'c-3', 'evaluation', at(1)),
  ]);
  return { h, db, time, process };
}

describe('churn-risk process manager', () => {
  it('raises and clears exactly the expected flags as facts arrive and days pass', async () => {
    const { h, time, process } = await scriptedJourney();
    try {
      expect(await process.runOnce()).toMatchObject({ eventsRead: 11, eventsAppended: 0 }); // 7 facts and 4 StageEntered;

      await h.record([cesCmd('e2', 'c-2', 2, at(5))]);
      time.set(at(5, 10));
      // It reads its own flag back from the log too, and evaluates no one for it: no feedback loop.
      expect(await process.runOnce()).toEqual({ eventsRead: 2, customersEvaluated: 1, eventsAppended: 1 });

      // Time alone: the ticket turns 48 hours old.
      time.set(at(6, 10));
      expect(await process.evaluateDue()).toEqual({ eventsRead: 0, customersEvaluated: 1, eventsAppended: 1 });

      await h.record([resolveTicketCmd('r1', 'c-1', 't-1', at(7))]);
      time.set(at(7, 10));
      await process.runOnce();

      time.set(at(33, 10));
      await process.runOnce();
      time.set(at(40, 10));
      await process.runOnce();

      expect(await churnRiskEvents(h.store)).toEqual([
        flag('c-2', 'repeated-hard-effort', 'e1', at(5), HARD_EFFORT, ['e1', 'e2']),
        flag('c-1', 'ticket-open-too-long', 'o1', at(6), TICKET, ['o1']),
        clear('c-1', 'ticket-open-too-long', 'o1', at(7), 'ticket t-1 resolved: r1'),
        flag('c-1', 'detractor-without-use', 'f1', at(33), DETRACTOR, ['f1']),
        flag('c-1', 'inactive-after-purchase', 'r1', at(37), INACTIVE, ['p1', 'r1']),
      ]);
    } finally {
      await h.close();
    }
  });

  it('running again, in a second process, or replaying from position 0 appends nothing new', async () => {
    const { h, db, time, process } = await scriptedJourney();
    try {
      time.set(at(40, 10));
      expect(await process.runOnce()).toMatchObject({ eventsAppended: 3 });
      const before = await churnRiskEvents(h.store);

      expect(await process.runOnce()).toMatchObject({ eventsAppended: 0 });
      const second = new ChurnRiskProcess(h.store, db, DEFAULT_CHURN_RULES, { clock: time.clock });
      expect(await second.runOnce()).toMatchObject({ eventsAppended: 0 });
      await process.resetCheckpoint();
      expect(await process.runOnce()).toMatchObject({ eventsRead: 14, eventsAppended: 0 }); // the whole log again
      const elsewhere = new ChurnRiskProcess(h.store, h.readModels('other-read-models.db'), DEFAULT_CHURN_RULES, { clock: time.clock });
      expect(await elsewhere.runOnce()).toMatchObject({ eventsAppended: 0 });

      expect(await churnRiskEvents(h.store)).toEqual(before);
    } finally {
      await h.close();
    }
  });

  it('two processes racing on the same customers write each flag once', async () => {
    const { h, time } = await scriptedJourney();
    try {
      time.set(at(40, 10));
      const one = new ChurnRiskProcess(h.store, h.readModels('one.db'), DEFAULT_CHURN_RULES, { clock: time.clock, batchSize: 1 });
      const two = new ChurnRiskProcess(h.store, h.readModels('two.db'), DEFAULT_CHURN_RULES, { clock: time.clock, batchSize: 2 });
      const [a, b] = await Promise.all([one.runOnce(), two.runOnce()]);
      expect(a.eventsAppended + b.eventsAppended).toBe(3);
      expect((await churnRiskEvents(h.store)).map((e) => e.eventId).sort()).toEqual([
        'churn-risk c-1 detractor-without-use f1',
        'churn-risk c-1 inactive-after-purchase o1',
        'churn-risk c-1 ticket-open-too-long o1',
      ]);
    } finally {
      await h.close();
    }
  });

  it('when another writer appends between its read and its append, it re-reads and decides again', async () => {
    const { h, db, time } = await scriptedJourney();
    try {
      let raced = false;
      const racingStore: EventStore = Object.assign(Object.create(h.store) as EventStore, {
        append: async (requests: AppendRequest[]) => {
          if (!raced) {
            raced = true; // the ticket gets resolved while the process is deciding to flag it
            await h.record([resolveTicketCmd('r1', 'c-1', 't-1', at(6, 9, 30))]);
          }
          return h.store.append(requests);
        },
      });
      time.set(at(6, 10));
      await new ChurnRiskProcess(racingStore, db, DEFAULT_CHURN_RULES, { clock: time.clock }).evaluate('c-1');
      expect(await churnRiskEvents(h.store)).toEqual([
        flag('c-1', 'ticket-open-too-long', 'o1', at(6), TICKET, ['o1']),
        clear('c-1', 'ticket-open-too-long', 'o1', at(6, 9, 30), 'ticket t-1 resolved: r1'),
      ]);
    } finally {
      await h.close();
    }
  });

  it('customers are flagged in one append, and one whose stream another writer moved meanwhile is judged again alone', async () => {
    const h = sqliteHarness();
    try {
      const time = manualClock(at(6, 10));
      await h.record([openTicketCmd('o1', 'c-1', 't-1', at(4)), openTicketCmd('o2', 'c-2', 't-2', at(4)), visitCmd('a3', 'c-3', 'evaluation', at(5))]);
      const calls: string[][] = [];
      const racingStore: EventStore = Object.assign(Object.create(h.store) as EventStore, {
        append: async (requests: AppendRequest[]) => {
          calls.push(requests.map((r) => r.streamId));
          // c-1's ticket is resolved while the process decides to flag it with c-2's
          if (calls.length === 1) await h.record([resolveTicketCmd('r1', 'c-1', 't-1', at(6, 9, 30))]);
          return h.store.append(requests);
        },
      });
      const result = await new ChurnRiskProcess(racingStore, h.readModels(), DEFAULT_CHURN_RULES, { clock: time.clock }).catchUp();
      // the chunk's append, refused for c-1; the same append without c-1; c-1 alone, read again
      expect(calls).toEqual([['customer-c-1', 'customer-c-2'], ['customer-c-2'], ['customer-c-1']]);
      expect(result.eventsAppended).toBe(3);
      expect(await churnRiskEvents(h.store)).toEqual([
        flag('c-2', 'ticket-open-too-long', 'o2', at(6), TICKET, ['o2']),
        flag('c-1', 'ticket-open-too-long', 'o1', at(6), TICKET, ['o1']),
        clear('c-1', 'ticket-open-too-long', 'o1', at(6, 9, 30), 'ticket t-1 resolved: r1'),
      ]);
    } finally {
      await h.close();
    }
  });

  it('stopped while a step judges hundreds of customers, it keeps what it judged, and the next start judges the step again', async () => {
    const h = sqliteHarness();
    try {
      const time = manualClock(at(6, 10));
      await h.record(Array.from({ length: 600 }, (_, i) => openTicketCmd(`o${i}`, `c-${i}`, `t-${i}`, at(4))));
      const db = h.readModels();
      let first!: ChurnRiskProcess;
      const stoppingStore: EventStore = Object.assign(Object.create(h.store) as EventStore, {
        append: async (requests: AppendRequest[]) => {
          void first.stop(); // the server shuts down while the first customers are being flagged
          return h.store.append(requests);
        },
      });
      first = new ChurnRiskProcess(stoppingStore, db, DEFAULT_CHURN_RULES, { clock: time.clock });
      const stopped = await first.catchUp();
      expect(stopped.customersEvaluated).toBeGreaterThan(0);
      expect(stopped.customersEvaluated).toBeLessThan(600);
      expect(await churnRiskEvents(h.store)).toHaveLength(stopped.customersEvaluated);
      expect(await first.position()).toBe(0);

      const next = new ChurnRiskProcess(h.store, db, DEFAULT_CHURN_RULES, { clock: time.clock });
      expect(await next.catchUp()).toMatchObject({ customersEvaluated: 600, eventsAppended: 600 - stopped.customersEvaluated });
      expect(await churnRiskEvents(h.store)).toHaveLength(600);
      expect(await next.position()).toBe(await h.store.headPosition());
    } finally {
      await h.close();
    }
  });

  it('facts recorded late yield the flags and clears that following them live would have', async () => {
    const { h, time, process } = await scriptedJourney();
    try {
      await h.record([resolveTicketCmd('r1', 'c-1', 't-1', at(7))]);
      time.set(at(8));
      await process.runOnce();
      expect(await churnRiskEvents(h.store)).toEqual([
        flag('c-1', 'ticket-open-too-long', 'o1', at(6), TICKET, ['o1']),
        clear('c-1', 'ticket-open-too-long', 'o1', at(7), 'ticket t-1 resolved: r1'),
      ]);
    } finally {
      await h.close();
    }
  });

  it('start() catches up and evaluates due customers at once, then keeps a timer', async () => {
    const { h, time, process } = await scriptedJourney();
    try {
      time.set(at(6, 10));
      await process.start();
      expect((await churnRiskEvents(h.store)).map((e) => e.eventId)).toEqual(['churn-risk c-1 ticket-open-too-long o1']);
      await h.record([resolveTicketCmd('r1', 'c-1', 't-1', at(6, 11))]);
      time.set(at(6, 12));
      process.wake();
      await waitUntil(async () => (await churnRiskEvents(h.store)).length === 2);
      await process.stop();
    } finally {
      await h.close();
    }
  });

  it('new rules make it judge every customer again: flags of a removed rule clear', async () => {
    const { h, db, time, process } = await scriptedJourney();
    try {
      time.set(at(6, 10));
      await process.runOnce();
      const withoutTickets = DEFAULT_CHURN_RULES.filter((rule) => rule.kind !== 'ticket-open-too-long');
      time.set(at(6, 11));
      const restarted = new ChurnRiskProcess(h.store, db, withoutTickets, { clock: time.clock });
      expect(await restarted.runOnce()).toMatchObject({ customersEvaluated: 3, eventsAppended: 1 });
      expect((await churnRiskEvents(h.store)).at(-1)).toEqual(clear('c-1', 'ticket-open-too-long', 'o1', at(6, 11), 'rule no longer configured'));
    } finally {
      await h.close();
    }
  });

  it('far behind the log, it evaluates a customer once per step however many reads the step takes, with the same flags', async () => {
    const { h, db, time } = await scriptedJourney();
    try {
      time.set(at(40, 10));
      // batchSize 3: eleven events take four reads; one step spans them all (then one more reads
      // the three flags it appended, and evaluates no one for them)
      const stepped = new ChurnRiskProcess(h.store, db, DEFAULT_CHURN_RULES, { clock: time.clock, batchSize: 3 });
      expect(await stepped.catchUp()).toEqual({ eventsRead: 14, customersEvaluated: 3, eventsAppended: 3 });
      const flags = await churnRiskEvents(h.store);

      // one step per read evaluates customers again in every read that touches them, and adds nothing
      const perRead = new ChurnRiskProcess(h.store, h.readModels('per-read.db'), DEFAULT_CHURN_RULES, { clock: time.clock, batchSize: 3, stepEvents: 3 });
      const again = await perRead.catchUp();
      expect(again.customersEvaluated).toBeGreaterThan(3);
      expect(again.eventsAppended).toBe(0);
      expect(await churnRiskEvents(h.store)).toEqual(flags);

      // steps that end once they have touched one customer (the log read an event at a time): the same
      const perCustomer = new ChurnRiskProcess(h.store, h.readModels('per-customer.db'), DEFAULT_CHURN_RULES, {
        clock: time.clock,
        batchSize: 1,
        stepCustomers: 1,
      });
      const once = await perCustomer.catchUp();
      expect(once.customersEvaluated).toBeGreaterThan(3);
      expect(once.eventsAppended).toBe(0);
      expect(await churnRiskEvents(h.store)).toEqual(flags);
    } finally {
      await h.close();
    }
  });
});

describe('the churn-risk process with a customer it cannot evaluate', () => {
  it('parks that customer (an id it needs is held by another event) and flags every other; retryParked keeps it parked while the cause remains', async () => {
    const h = sqliteHarness();
    const time = manualClock(at(4, 12));
    try {
      const db = h.readModels();
      await h.record([openTicketCmd('o1', 'c-1', 't-1', at(4)), openTicketCmd('o2', 'c-2', 't-2', at(4))]);
      // written below validation by another tool: an event in another stream holding the id c-1's flag will need
      await h.store.append([
        {
          streamId: 'customer-other',
          expectedRevision: 'any',
          events: [{ eventId: churnRiskEpisodeId('c-1', 'ticket-open-too-long', 'o1'), type: 'CustomerChurned', occurredAt: at(4), data: {} }],
        },
      ]);
      const parked: string[] = [];
      const process = new ChurnRiskProcess(h.store, db, DEFAULT_CHURN_RULES, { clock: time.clock, maxAttempts: 2, onParked: (p) => parked.push(p.customerId) });
      time.set(at(6, 10));
      await process.runOnce();
      expect((await churnRiskEvents(h.store)).map((e) => e.eventId)).toEqual([churnRiskEpisodeId('c-2', 'ticket-open-too-long', 'o2')]);
      expect(parked).toEqual(['c-1']);
      expect(await process.position()).toBe(await h.store.headPosition());
      const [row] = await parkedEvents(db.reader, CHURN_RISK_PROCESS_COMPONENT);
      expect(row).toMatchObject({ streamId: 'customer-c-1', eventId: 'o1', error: expect.stringContaining('DuplicateEventIdError') });

      expect(await process.retryParked()).toEqual({ retried: 1, stillParked: 1 });
      expect(await parkedEvents(db.reader, CHURN_RISK_PROCESS_COMPONENT)).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
