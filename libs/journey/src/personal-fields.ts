import { derivedEventId } from './derived-ids';
import type { CustomerState } from './customer-state';
import type { CustomerErased, JourneyEventType } from './journey-events';

/**
 * Where personal data lives in a recorded fact: names, contact details and free text a customer
 * wrote or that was written about them. These fields are sealed with the customer's own data key
 * before they are stored (libs/privacy), so destroying that key erases them from an append-only
 * log. Nothing else of an event is personal by design: ids are opaque, and free-form
 * `properties` must not carry personal data (see DESIGN.md).
 */
export const PERSONAL_FIELDS: Readonly<Partial<Record<JourneyEventType, readonly string[]>>> = {
  CustomerProfiled: ['name', 'email', 'phone'],
  FeedbackGiven: ['comment'],
  TicketOpened: ['subject'],
  CustomerChurned: ['reason'],
};

/** Portrait fields a deployment may declare personal too (JOURNEYLINE_PERSONAL_FIELDS); sealed, they no longer group metrics. */
export const PORTRAIT_FIELDS = ['segment', 'region', 'ageBand', 'gender', 'acquisitionChannel'] as const;
export type PortraitField = (typeof PORTRAIT_FIELDS)[number];

/** The personal fields of a fact of this type, with the portrait fields configured as personal. */
export function personalFieldsOf(type: string, personalPortrait: readonly PortraitField[] = []): readonly string[] {
  const fields = Object.prototype.hasOwnProperty.call(PERSONAL_FIELDS, type) ? PERSONAL_FIELDS[type as JourneyEventType]! : [];
  return type === 'CustomerProfiled' && personalPortrait.length > 0 ? [...fields, ...personalPortrait] : fields;
}

/**
 * The erasure of a customer, as a fact: one per customer (its id is derived from the customer, so
 * asking twice appends nothing), none for a customer the log does not know.
 */
export function decideErasure(customerId: string, state: CustomerState, at: Date): CustomerErased[] {
  if (state.eventCount === 0 || state.erased) return [];
  return [{ type: 'CustomerErased', eventId: erasureEventId(customerId), occurredAt: at.toISOString(), data: {} }];
}

export function erasureEventId(customerId: string): string {
  return derivedEventId('erased', customerId);
}

/**
 * Facts about the customer's record rather than about what the customer did (an erasure, a merge,
 * an unmerge): they move no "first seen" or "last seen" and count in no event count, so a journey
 * reads the same whether its records were merged and unmerged or never touched.
 */
export const RECORD_KEEPING_TYPES: ReadonlySet<string> = new Set(['CustomerErased', 'CustomerMerged', 'CustomerUnmerged']);
