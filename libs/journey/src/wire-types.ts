import type { CustomerCommand } from './customer-commands';
import type { JourneyEventType } from './journey-events';

/**
 * Names on the wire (HTTP, Kafka, NDJSON) versus inside the domain. Wire types say what the
 * client saw happen; the domain records it as a past-tense fact.
 */
export const WIRE_TO_COMMAND = {
  'touchpoint.visited': 'RecordTouchpointVisit',
  'feedback.given': 'RecordFeedback',
  'ticket.opened': 'OpenTicket',
  'ticket.resolved': 'ResolveTicket',
  'purchase.made': 'RecordPurchase',
  'customer.profiled': 'ProfileCustomer',
  'customer.churned': 'RecordChurn',
  'customer.reactivated': 'ReactivateCustomer',
} as const satisfies Record<string, CustomerCommand['type']>;

export type WireEventType = keyof typeof WIRE_TO_COMMAND;
export const WIRE_EVENT_TYPES = Object.keys(WIRE_TO_COMMAND) as WireEventType[];

const EVENT_TO_WIRE: Record<JourneyEventType, string> = {
  TouchpointVisited: 'touchpoint.visited',
  StageEntered: 'stage.entered',
  StageRegressed: 'stage.regressed',
  FeedbackGiven: 'feedback.given',
  TicketOpened: 'ticket.opened',
  TicketResolved: 'ticket.resolved',
  PurchaseMade: 'purchase.made',
  CustomerProfiled: 'customer.profiled',
  CustomerChurned: 'customer.churned',
  CustomerReactivated: 'customer.reactivated',
  ChurnRiskFlagged: 'churn-risk.flagged',
  ChurnRiskCleared: 'churn-risk.cleared',
};

/** The dotted wire name of a stored event type; unknown (future) types pass through. */
export function wireTypeOf(type: string): string {
  return Object.prototype.hasOwnProperty.call(EVENT_TO_WIRE, type) ? (EVENT_TO_WIRE as Record<string, string>)[type] : type;
}

export function isWireEventType(value: unknown): value is WireEventType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(WIRE_TO_COMMAND, value);
}

export const CUSTOMER_STREAM_PREFIX = 'customer-';

export function customerStreamId(customerId: string): string {
  return CUSTOMER_STREAM_PREFIX + customerId;
}

export function customerIdOf(streamId: string): string | null {
  return streamId.startsWith(CUSTOMER_STREAM_PREFIX) ? streamId.slice(CUSTOMER_STREAM_PREFIX.length) : null;
}
