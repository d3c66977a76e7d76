import type { GeneratorOptions } from '@journeyline/demo';
import { generateJourneys } from '@journeyline/demo';
import { commandAsWireEvent, type CustomerCommand } from '@journeyline/journey';

/** A wire event (the HTTP body / Kafka value shape) for a command of the demo generator. */
export function wireEventOf(command: CustomerCommand, options: { withEventId?: boolean } = {}): Record<string, unknown> {
  const { eventId, ...rest } = commandAsWireEvent(command);
  return options.withEventId === false ? rest : { eventId, ...rest };
}

export interface JourneyMessage {
  key: string;
  value: string;
  command: CustomerCommand;
}

/**
 * Exactly `events` generated journey events for `customers` customers, as Kafka messages keyed
 * by customer id, interleaved across customers the way live traffic arrives (each customer's
 * own events stay in order). Journeys are cut short to hit the count, which keeps every journey
 * rule valid (only endings are dropped). Times are in 2025, safely in the past.
 */
export function journeyMessages(options: {
  events: number;
  customers: number;
  seed?: number;
  idPrefix?: string;
  withoutEventId?: (command: CustomerCommand, index: number) => boolean;
}): JourneyMessage[] {
  const generator: GeneratorOptions = {
    customers: options.customers,
    seed: options.seed ?? 7,
    start: new Date(Date.UTC(2025, 0, 1)),
    spanDays: 200,
    idPrefix: options.idPrefix ?? 'c-',
    visitsPerStage: 1.6,
  };
  let journeys = [...generateJourneys(generator)];
  // Longer journeys until there are enough events, then trim the longest ones from their ends.
  for (let visits = 2; total(journeys) < options.events; visits += 1) {
    if (visits > 40) throw new Error(`cannot generate ${options.events} events for ${options.customers} customers`);
    journeys = [...generateJourneys({ ...generator, visitsPerStage: visits })];
  }
  while (total(journeys) > options.events) {
    const longest = journeys.reduce((a, b) => (b.length > a.length ? b : a));
    longest.pop();
  }
  const queues = journeys.map((j) => [...j]);
  const out: JourneyMessage[] = [];
  let round = 0;
  while (out.length < options.events) {
    queues.forEach((queue, i) => {
      // uneven pace: some customers send bursts, others one event at a time
      const take = 1 + ((i + round) % 3);
      for (const command of queue.splice(0, take)) {
        const withEventId = !options.withoutEventId?.(command, out.length);
        out.push({ key: command.customerId, value: JSON.stringify(wireEventOf(command, { withEventId })), command });
      }
    });
    round++;
  }
  return out;
}

function total(journeys: CustomerCommand[][]): number {
  return journeys.reduce((sum, j) => sum + j.length, 0);
}
