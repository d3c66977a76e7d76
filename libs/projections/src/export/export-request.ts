import { DateTime } from 'luxon';
import { WIRE_EVENT_TYPES, type WireEventType } from '@journeyline/journey';

/** What `journeyline export` and `GET /api/v1/export` write: the recorded events, or the customer list. */
export const EXPORT_KINDS = ['events', 'customers'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportRequest {
  kind: ExportKind;
  format: ExportFormat;
  /** One customer only. */
  customerId?: string;
  /** Events: these wire types only. */
  types?: readonly WireEventType[];
  /** Events that occurred at or after (customers: last seen at or after). */
  from?: Date;
  /** Events that occurred before (customers: first seen before). */
  to?: Date;
}

/** A filter that names nothing this export can read, with the parameter at fault. */
export class ExportRequestError extends Error {
  constructor(
    readonly field: 'kind' | 'format' | 'type' | 'from' | 'to' | 'customerId',
    message: string,
  ) {
    super(message);
    this.name = 'ExportRequestError';
  }
}

/** `type=feedback.given,purchase.made`: wire types of recorded events (what a client sends). */
export function exportTypes(text: string): WireEventType[] {
  const types = text
    .split(',')
    .map((type) => type.trim())
    .filter(Boolean);
  const unknown = types.filter((type) => !(WIRE_EVENT_TYPES as readonly string[]).includes(type));
  if (types.length === 0 || unknown.length > 0) {
    throw new ExportRequestError(
      'type',
      `type must be one or more of ${WIRE_EVENT_TYPES.join(', ')} (comma-separated)${unknown.length ? `; got ${unknown.slice(0, 5).join(', ')}` : ''}`,
    );
  }
  return types as WireEventType[];
}

/** `from` / `to`: an ISO 8601 date (midnight in `timeZone`) or timestamp (without an offset, in `timeZone`). */
export function exportInstant(text: string, timeZone: string, field: 'from' | 'to'): Date {
  const parsed = DateTime.fromISO(text.trim(), { zone: timeZone });
  if (!parsed.isValid || text.trim().length > 64) {
    throw new ExportRequestError(field, `${field} must be an ISO 8601 date or timestamp, e.g. 2026-11-01 or 2026-11-01T00:00:00+07:00`);
  }
  return parsed.toJSDate();
}

/** Checks that `from` comes before `to`, and what only events take. */
export function checkedExportRequest(request: ExportRequest): ExportRequest {
  if (request.from && request.to && request.from.getTime() >= request.to.getTime()) throw new ExportRequestError('to', 'to must come after from');
  if (request.kind === 'customers' && request.types) throw new ExportRequestError('type', 'type filters events; leave it out with kind=customers');
  return request;
}
