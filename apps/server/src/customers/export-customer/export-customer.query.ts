import type { Journey } from '@journeyline/journey';
import type { KeyStatus } from '@journeyline/privacy';
import type { CustomerListItem, ParkedEvent } from '@journeyline/projections';

export class ExportCustomerQuery {
  constructor(readonly customerId: string) {}
}

/** Everything Journeyline holds about one customer (a subject access request), personal fields opened. */
export interface CustomerExport {
  customerId: string;
  exportedAt: string;
  /** Their data key's record (never the key): when it was made and, after an erasure, destroyed. */
  dataKey: KeyStatus | null;
  /** Every event of their stream as stored, derived ones included. */
  events: { position: number; revision: number; eventId: string; type: string; occurredAt: string; recordedAt: string; data: Record<string, unknown> }[];
  journey: Journey | null;
  /** What the customer list's read model holds about them. */
  listEntry: CustomerListItem | null;
  /** Their events a projection set aside, with the reason. */
  parkedEvents: ParkedEvent[];
}
