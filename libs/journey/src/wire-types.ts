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
  'customer.merged': 'MergeCustomer',
  'customer.unmerged': 'UnmergeCustomer',
} as const satisfies Record<string, CustomerCommand['type']>;

export type WireEventType = keyof typeof WIRE_TO_COMMAND;

/** The wire name of each command (the inverse of WIRE_TO_COMMAND). */
export const COMMAND_TO_WIRE = Object.fromEntries(Object.entries(WIRE_TO_COMMAND).map(([wire, command]) => [command, wire])) as Record<
  CustomerCommand['type'],
  WireEventType
>;

/** A command as a client would have sent it: the wire envelope (demo data, tests, benchmarks). */
export function commandAsWireEvent(command: CustomerCommand): {
  eventId: string;
  type: WireEventType;
  customerId: string;
  occurredAt: string;
  data: Record<string, unknown>;
} {
  return {
    eventId: command.eventId,
    type: COMMAND_TO_WIRE[command.type],
    customerId: command.customerId,
    occurredAt: command.occurredAt,
    data: { ...command.data },
  };
}

/** The fact each command records (derived facts such as stage changes and flags come on top). */
export const COMMAND_EVENT_TYPE = {
  RecordTouchpointVisit: 'TouchpointVisited',
  RecordFeedback: 'FeedbackGiven',
  OpenTicket: 'TicketOpened',
  ResolveTicket: 'TicketResolved',
  RecordPurchase: 'PurchaseMade',
  ProfileCustomer: 'CustomerProfiled',
  RecordChurn: 'CustomerChurned',
  ReactivateCustomer: 'CustomerReactivated',
  MergeCustomer: 'CustomerMerged',
  UnmergeCustomer: 'CustomerUnmerged',
} as const satisfies Record<CustomerCommand['type'], JourneyEventType>;

/** Facts recorded from the outside world: what a client can send, as the domain names it. */
export const RECORDED_FACT_TYPES: ReadonlySet<JourneyEventType> = new Set(Object.values(COMMAND_EVENT_TYPE));
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
  CustomerErased: 'customer.erased',
  CustomerMerged: 'customer.merged',
  CustomerUnmerged: 'customer.unmerged',
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
