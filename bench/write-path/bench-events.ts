import { randomUUID } from 'node:crypto';
import { generateJourneys, seededRandom } from '@journeyline/demo';
import { COMMAND_EVENT_TYPE, commandAsWireEvent, customerStreamId, type CustomerCommand } from '@journeyline/journey';
import type { AppendRequest, NewEvent } from '@journeyline/event-store';

/**
 * The events every path of the write-path benchmark stores: demo journeys (libs/demo) with uuid
 * event ids, cut to an exact total. Journeys are cut at their end only, so every customer's
 * commands stay a valid prefix of a journey and the deciders accept them all.
 */

/** Visits per stage that give a little over 10 commands a customer; the surplus is cut off. */
const VISITS_PER_STAGE = 2.8;
/** Journeys start in the 300 days from here: all of them in the past, so none is refused as "in the future". */
const START = new Date(Date.UTC(2025, 3, 1));

/**
 * `total` commands for about `customers` customers, customer after customer (each customer's
 * commands together, in time order), in generation order. Lazily, so 10,000,000 fit in memory.
 */
export function* benchCommands(total: number, customers: number, seed = 19, idPrefix = 'c-'): Generator<CustomerCommand> {
  let given = 0;
  let customer = 0;
  for (const journey of generateJourneys({ customers, seed, idPrefix, start: START, spanDays: 300, visitsPerStage: VISITS_PER_STAGE })) {
    // keep to the pace of total/customers a customer (with some slack), so the cut falls evenly
    // on all customers; the last few may find the total already reached
    const pace = Math.round((total * ++customer) / customers) + 200;
    for (const command of journey.slice(0, Math.max(2, pace - given))) {
      yield { ...command, eventId: randomUUID() } as CustomerCommand;
      if (++given === total) return;
    }
  }
  throw new Error(`the generator gave ${given} commands for ${customers} customers, fewer than ${total}: raise VISITS_PER_STAGE`);
}

export interface BenchEvents {
  /** Customer after customer, customers in a random (seeded) order: about 100 customers a 1,000-event batch. */
  random: CustomerCommand[];
  /** The same commands by occurredAt: about one command a customer per batch. */
  timeOrdered: CustomerCommand[];
  customers: number;
  /** Mean size of one event as a client sends it (the wire JSON, uuid event id included). */
  wireBytes: number;
  /** Mean size of its data as JSON. */
  dataBytes: number;
}

/** Exactly `total` commands of exactly `customers` customers: the generator's surplus is cut from the end of the longest journeys. */
export function benchEvents(total: number, customers: number): BenchEvents {
  const groups = [...generateJourneys({ customers, seed: 19, start: START, spanDays: 300, visitsPerStage: VISITS_PER_STAGE })];
  let surplus = groups.reduce((sum, journey) => sum + journey.length, 0) - total;
  if (surplus < 0) throw new Error(`the generator gave ${total + surplus} commands for ${customers} customers, fewer than ${total}: raise VISITS_PER_STAGE`);
  const longestFirst = [...groups].sort((a, b) => b.length - a.length);
  while (surplus > 0) {
    for (const journey of longestFirst) {
      if (surplus === 0 || journey.length <= longestFirst[longestFirst.length - 1].length + 1) break;
      journey.pop();
      surplus--;
    }
    longestFirst.sort((a, b) => b.length - a.length);
  }
  for (const journey of groups) journey.forEach((command, i) => (journey[i] = { ...command, eventId: randomUUID() } as CustomerCommand));
  const next = seededRandom(7);
  for (let i = groups.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [groups[i], groups[j]] = [groups[j], groups[i]];
  }
  const random = groups.flat();
  const timeOrdered = [...random].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  let wireBytes = 0;
  let dataBytes = 0;
  for (const command of random) {
    wireBytes += JSON.stringify(commandAsWireEvent(command)).length;
    dataBytes += JSON.stringify(command.data).length;
  }
  return {
    random,
    timeOrdered,
    customers: groups.length,
    wireBytes: Math.round(wireBytes / random.length),
    dataBytes: Math.round(dataBytes / random.length),
  };
}

export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/**
 * `writers` sub-sequences with no customer in two of them (so concurrent writers never race for a
 * stream), each in the order given, cut into batches of `size`.
 */
export function writerBatches(commands: readonly CustomerCommand[], writers: number, size: number): CustomerCommand[][][] {
  const lanes: CustomerCommand[][] = Array.from({ length: writers }, () => []);
  const laneOf = new Map<string, number>();
  for (const command of commands) {
    let lane = laneOf.get(command.customerId);
    if (lane === undefined) laneOf.set(command.customerId, (lane = laneOf.size % writers));
    lanes[lane].push(command);
  }
  return lanes.map((lane) => batchesOf(lane, size));
}

/** A command as the one fact it records, for the paths that store events without deciding (floor, adapter, Emmett). */
export interface Fact {
  streamId: string;
  event: NewEvent;
}

export function factOf(command: CustomerCommand): Fact {
  return {
    streamId: customerStreamId(command.customerId),
    event: { eventId: command.eventId, type: COMMAND_EVENT_TYPE[command.type], data: { ...command.data }, occurredAt: command.occurredAt },
  };
}

/**
 * The append requests of one batch: one per stream, in the order streams first appear, each with
 * the expected revision `revisions` holds (updated as if the append succeeded).
 */
export function appendRequests(batch: readonly Fact[], revisions: Map<string, number>): AppendRequest[] {
  const requests = new Map<string, AppendRequest>();
  for (const { streamId, event } of batch) {
    let request = requests.get(streamId);
    if (!request) {
      const revision = revisions.get(streamId) ?? -1;
      requests.set(streamId, (request = { streamId, expectedRevision: revision < 0 ? 'no_stream' : revision, events: [] }));
    }
    request.events.push(event);
  }
  for (const request of requests.values()) revisions.set(request.streamId, (revisions.get(request.streamId) ?? -1) + request.events.length);
  return [...requests.values()];
}
