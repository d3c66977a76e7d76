import type { EventStore, StoredEvent } from '@journeyline/event-store';
import { asJourneyEvent, customerIdOf, customerStreamId, WIRE_TO_COMMAND, COMMAND_EVENT_TYPE, type JourneyEventType } from '@journeyline/journey';
import { factAsWireEvent, type WireEvent } from '@journeyline/recording/files/fact-as-wire-event';
import type { ExportRequest } from './export-request';

/** A page of exported events (personal fields still sealed), and how far through the log it is. */
export interface EventPage {
  events: WireEvent[];
  /** Log position (or, for one customer, revision) reached, of `end`. */
  done: number;
  end: number;
}

/**
 * The recorded events, in global log order, as the wire events that record them again (what a
 * client sent: visits, feedback, tickets, purchases, profiles, churn, merges); derived events
 * (stage changes, churn-risk flags, erasures) are left out, as the importing store derives its
 * own. Read page by page up to the log's head when the export began, each stored event through
 * `asJourneyEvent`; a malformed one (parked by the projections) is left out.
 */
export async function* exportedEvents(store: EventStore, request: ExportRequest, pageSize = 1000): AsyncGenerator<EventPage> {
  const types: ReadonlySet<JourneyEventType> | null = request.types ? new Set(request.types.map((type) => COMMAND_EVENT_TYPE[WIRE_TO_COMMAND[type]])) : null;
  const from = request.from?.getTime() ?? Number.NEGATIVE_INFINITY;
  const to = request.to?.getTime() ?? Number.POSITIVE_INFINITY;
  // Survey answers a later answer through the same link replaced count nowhere: exported, they would count again where imported.
  const replaced = types && !types.has('FeedbackGiven') ? new Set<string>() : await replacedAnswers(store, request.customerId, pageSize);
  const wanted = (stored: StoredEvent, customerId: string): WireEvent | null => {
    if (types && !types.has(stored.type as JourneyEventType)) return null;
    if (stored.type === 'FeedbackGiven' && replaced.has(`${stored.streamId}\u0000${stored.eventId}`)) return null;
    const at = Date.parse(stored.occurredAt);
    if (!(at >= from && at < to)) return null;
    const checked = asJourneyEvent(stored);
    return checked.ok ? factAsWireEvent(customerId, checked.event) : null;
  };
  if (request.customerId !== undefined) {
    const streamId = customerStreamId(request.customerId);
    const end = await store.streamRevision(streamId);
    for (let next = 0; next <= end;) {
      const page = (await store.readStream(streamId, { fromRevision: next, limit: pageSize })).filter((e) => e.revision <= end);
      if (page.length === 0) return;
      next = page[page.length - 1].revision + 1;
      yield { events: page.map((e) => wanted(e, request.customerId!)).filter((e) => e !== null), done: next, end: end + 1 };
    }
    return;
  }
  const head = await store.headPosition();
  for (let after = 0; after < head;) {
    const page = (await store.readAll({ after, limit: pageSize })).filter((e) => e.position <= head);
    if (page.length === 0) return;
    after = page[page.length - 1].position;
    const events: WireEvent[] = [];
    for (const stored of page) {
      const customerId = customerIdOf(stored.streamId);
      const event = customerId === null ? null : wanted(stored, customerId);
      if (event) events.push(event);
    }
    yield { events, done: after, end: head };
  }
}

/**
 * The answers replaced by a later answer through the same survey link (stream and event id): one
 * pass over the stream (or the log) before the export, reading what replacing answers carry.
 */
async function replacedAnswers(store: EventStore, customerId: string | undefined, pageSize: number): Promise<Set<string>> {
  const replaced = new Set<string>();
  const note = (stored: StoredEvent) => {
    if (stored.type !== 'FeedbackGiven') return;
    const replaces = (stored.data as { replaces?: { eventId?: unknown } }).replaces;
    if (typeof replaces?.eventId === 'string') replaced.add(`${stored.streamId}\u0000${replaces.eventId}`);
  };
  if (customerId !== undefined) {
    for (const stored of await store.readStream(customerStreamId(customerId))) note(stored);
    return replaced;
  }
  const head = await store.headPosition();
  for (let after = 0; after < head;) {
    const page = await store.readAll({ after, limit: pageSize * 10 });
    if (page.length === 0) break;
    after = page[page.length - 1].position;
    for (const stored of page) if (stored.position <= head) note(stored);
  }
  return replaced;
}
