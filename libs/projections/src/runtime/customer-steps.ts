import {
  DuplicateEventIdError,
  isTransientError,
  readStreams,
  WrongExpectedRevisionError,
  yieldToEventLoop,
  type AppendedEvent,
  type AppendRequest,
  type EventStore,
  type StoredEvent,
} from '@journeyline/event-store';
import { customerStreamId } from '@journeyline/journey';

/**
 * For the process managers (churn risk, follow-ups) that decide for many customers at a time: a
 * step of the log read for the customers it touched, those customers' streams in one read, and what
 * they decided in one append, with a customer the store refuses taken out so the rest still go
 * together.
 */

/** Customers decided on one read of their streams, what they decided appended in one call, by default. */
export const CUSTOMER_CHUNK = 250;

/** Most events one step reads, and most customers it decides for, by default (see readStep). */
export const STEP_EVENTS = 1_000_000;
export const STEP_CUSTOMERS = 100_000;

export interface StepLimits {
  /** Events per read of the log. */
  batchSize: number;
  /** Most events the step reads (default STEP_EVENTS; at least one read). */
  stepEvents?: number;
  /** Most customers the step gathers (default STEP_CUSTOMERS): it ends once its events have touched this many. */
  stepCustomers?: number;
}

/**
 * One step of a process following the log from `after`: reads of `batchSize` events (the event loop
 * free between them) until the log ends, `stepEvents` were read, or the customers `touched` adds from
 * them number `stepCustomers`. Far behind the log, a customer whose events run all through it is so
 * decided on once a step, not once a read, and a step holds only their ids. Returns them, the events
 * read and the last position read.
 */
export async function readStep<E extends { position: number }>(
  read: (after: number, limit: number) => Promise<E[]>,
  touched: (events: readonly E[], customers: Set<string>) => void,
  after: number,
  { batchSize, stepEvents, stepCustomers }: StepLimits,
): Promise<{ customers: string[]; read: number; last: number }> {
  const [maxEvents, maxCustomers] = [Math.max(batchSize, stepEvents ?? STEP_EVENTS), Math.max(1, stepCustomers ?? STEP_CUSTOMERS)];
  const customers = new Set<string>();
  let [count, last] = [0, after];
  while (count < maxEvents && customers.size < maxCustomers) {
    if (count > 0) await yieldToEventLoop();
    const events = await read(last, Math.min(batchSize, maxEvents - count));
    if (events.length === 0) break;
    touched(events, customers);
    count += events.length;
    last = events[events.length - 1].position;
    if (events.length < batchSize) break;
  }
  return { customers: [...customers], read: count, last };
}

/** The streams of these customers in one read; null when one cannot be read for a reason that is not the environment's (each is then read alone, so only that customer is set aside). */
export async function customerStreams(store: EventStore, customers: readonly string[]): Promise<StoredEvent[][] | null> {
  try {
    return await readStreams(
      store,
      customers.map((customerId) => ({ streamId: customerStreamId(customerId) })),
    );
  } catch (error) {
    if (isTransientError(error)) throw error;
    return null;
  }
}

/**
 * Appends every group's requests in one call. When the store refuses the call because of one
 * group (a stream another writer moved since it was read, or an event id another event holds: the
 * error names the stream or the id), that group is taken out and the rest appended again; any other
 * refusal puts every group out. A store that is down is thrown, to be retried whole. Returns each
 * appended group with its events' results (in its requests' order), and the groups taken out, to be
 * decided again one by one.
 */
export async function appendTogether<G>(
  store: EventStore,
  groups: readonly G[],
  requestsOf: (group: G) => AppendRequest[],
): Promise<{ appended: { group: G; events: AppendedEvent[] }[]; out: G[] }> {
  let together = [...groups];
  const out: G[] = [];
  while (together.length > 0) {
    const requests = together.map(requestsOf);
    try {
      const result = await store.append(requests.flat());
      let at = 0;
      const appended = together.map((group, i) => {
        const count = requests[i].reduce((sum, request) => sum + request.events.length, 0);
        return { group, events: result.events.slice(at, (at += count)) };
      });
      return { appended, out };
    } catch (error) {
      const culprit = requests.findIndex((list) =>
        list.some((request) =>
          error instanceof WrongExpectedRevisionError
            ? request.streamId === error.streamId
            : error instanceof DuplicateEventIdError && request.events.some((event) => event.eventId === error.eventId),
        ),
      );
      if (culprit < 0 && isTransientError(error)) throw error;
      if (culprit < 0) return { appended: [], out: [...out, ...together] };
      out.push(together[culprit]);
      together = together.filter((_, i) => i !== culprit);
    }
  }
  return { appended: [], out };
}
