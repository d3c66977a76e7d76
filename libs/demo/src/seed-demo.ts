import { yieldToEventLoop, type EventStore } from '@journeyline/event-store';
import type { CustomerCommand } from '@journeyline/journey';
import { recordCustomerEvents, type PersonalDataSealer } from '@journeyline/recording';
import { generateJourneys } from './journey-generator';

export interface SeedOptions {
  customers: number;
  /** Seals the demo customers' names, e-mails and comments as any recorded event's. */
  personal: PersonalDataSealer;
  seed?: number;
  now?: Date;
  /** Customers recorded per store transaction. */
  chunk?: number;
  onProgress?: (done: number, total: number, events: number) => void;
  shouldStop?: () => boolean;
}

const DAY = 86_400_000;

/**
 * Fills a store with demo journeys ending before `now` (customer ids c-000001...). Event ids are
 * deterministic and a store seeded before keeps its time base, so running it again, or after an
 * interruption, only adds what is missing.
 */
export async function seedDemo(store: EventStore, options: SeedOptions): Promise<{ customers: number; events: number }> {
  const now = (options.now ?? new Date()).getTime();
  const seed = options.seed ?? 2026;
  let start = now - 330 * DAY;
  const [probe] = generateJourneys({ customers: 1, seed, start: new Date(start), spanDays: 320 }).next().value ?? [];
  const seeded = probe ? (await store.findByEventIds([probe.eventId])).get(probe.eventId) : undefined;
  if (probe && seeded) start += Date.parse(seeded.occurredAt) - Date.parse(probe.occurredAt);
  const chunk = options.chunk ?? 100;
  let pending: CustomerCommand[] = [];
  let customers = 0;
  let events = 0;
  const flush = async () => {
    if (pending.length === 0) return;
    const recorded = await recordCustomerEvents(store, pending, { personal: options.personal });
    events += recorded.filter((r) => !r.duplicate).length;
    pending = [];
  };
  for (const journey of generateJourneys({ customers: options.customers, seed, start: new Date(start), spanDays: 320 })) {
    // Journeys that would run past now are cut there: the tail of a journey never breaks a rule.
    pending.push(...journey.filter((command) => Date.parse(command.occurredAt) <= now - 60_000));
    customers++;
    if (customers % chunk === 0) {
      await flush();
      options.onProgress?.(customers, options.customers, events);
      await yieldToEventLoop(); // a Ctrl-C handler runs before we ask
      if (options.shouldStop?.()) break;
    }
  }
  await flush();
  options.onProgress?.(customers, options.customers, events);
  return { customers, events };
}
