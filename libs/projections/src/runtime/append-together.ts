import {
  DuplicateEventIdError,
  isTransientError,
  readStreams,
  WrongExpectedRevisionError,
  type AppendedEvent,
  type AppendRequest,
  type EventStore,
  type StoredEvent,
} from '@journeyline/event-store';
import { customerStreamId } from '@journeyline/journey';

/**
 * For the process managers (churn risk, follow-ups) that decide for many customers at a time: the
 * customers' streams in one read, and what they decided in one append, with a customer the store
 * refuses taken out so the rest still go together.
 */

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
