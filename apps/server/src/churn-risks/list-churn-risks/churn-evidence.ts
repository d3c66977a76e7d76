import type { EventStore, StoredEvent } from '@journeyline/event-store';
import { customerStreamId } from '@journeyline/journey';

/** What an evidence event was, in a line: "NPS 3 at hotline on 2026-11-04". No free text (comments, subjects) is carried. */
export interface EvidenceEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  text: { en: string; vi: string };
}

const KIND_NAMES: Record<string, string> = { nps: 'NPS', csat: 'CSAT', ces: 'CES', review: 'review' };

export function evidenceEvent(event: Pick<StoredEvent, 'eventId' | 'type' | 'occurredAt' | 'data'>): EvidenceEvent {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '');
  const day = event.occurredAt.slice(0, 10);
  const at = text(data.touchpoint);
  const where = { en: at ? ` at ${at}` : '', vi: at ? ` tại ${at}` : '' };
  let what: { en: string; vi: string };
  switch (event.type) {
    case 'FeedbackGiven': {
      const kind = KIND_NAMES[text(data.kind)] ?? text(data.kind);
      what = { en: `${kind} ${text(data.score)}`, vi: `${kind === 'review' ? 'đánh giá' : kind} ${text(data.score)}` };
      break;
    }
    case 'TicketOpened':
      what = { en: `ticket ${text(data.ticketId)} opened`, vi: `mở yêu cầu hỗ trợ ${text(data.ticketId)}` };
      break;
    case 'TicketResolved':
      what = { en: `ticket ${text(data.ticketId)} resolved`, vi: `giải quyết yêu cầu ${text(data.ticketId)}` };
      break;
    case 'PurchaseMade':
      what = { en: `purchase ${text(data.amount)} ${text(data.currency) || 'VND'}`, vi: `mua hàng ${text(data.amount)} ${text(data.currency) || 'VND'}` };
      break;
    case 'TouchpointVisited':
      what = { en: 'visit', vi: 'ghé thăm' };
      break;
    default:
      what = { en: event.type, vi: event.type };
  }
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    text: { en: `${what.en}${where.en} on ${day}`, vi: `${what.vi}${where.vi} ngày ${day}` },
  };
}

/** What the evidence events of a page's flags were, from those customers' streams (a page's worth, never the whole log). */
export async function describeEvidence(store: EventStore, items: readonly { customerId: string; flags: readonly { evidence: readonly string[] }[] }[]) {
  const evidence = new Map<string, EvidenceEvent>();
  for (const item of items) {
    const wanted = new Set(item.flags.flatMap((f) => f.evidence));
    if (wanted.size === 0) continue;
    for (const event of await store.readStream(customerStreamId(item.customerId))) {
      if (wanted.has(event.eventId)) evidence.set(event.eventId, evidenceEvent(event));
    }
  }
  return evidence;
}
