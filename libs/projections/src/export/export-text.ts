import type { EventStore } from '@journeyline/event-store';
import { importColumns } from '@journeyline/recording/files/column-mapping';
import { csvLine, spreadsheetSafe, UTF8_BOM, type CsvValue } from '@journeyline/recording/files/csv-text';
import type { WireEvent } from '@journeyline/recording/files/fact-as-wire-event';
import type { SqlExecutor } from '../runtime/sql-executor';
import { exportedCustomers, EXPORTED_CUSTOMER_COLUMNS, type ExportedCustomer } from './exported-customers';
import { exportedEvents } from './exported-events';
import type { ExportRequest } from './export-request';

export interface ExportSources {
  store: EventStore;
  /** The read models (the customer list). */
  reader: SqlExecutor;
  /** Opens the sealed personal fields of a page (PersonalData.reveal): null where the customer was erased. */
  reveal: <T>(value: T) => Promise<T>;
}

/** How far an export is: log positions for events, customers for the customer list. */
export interface ExportProgress {
  done: number;
  end: number;
  /** Lines written (events or customers). */
  rows: number;
}

export function exportContentType(request: Pick<ExportRequest, 'format'>): string {
  return request.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
}

/** `journeyline-events-2026-11-20.ndjson`, `journeyline-customers-c-1042-2026-11-20.csv` (the customer id kept to safe characters). */
export function exportFileName(request: ExportRequest, now = new Date()): string {
  const customer = request.customerId === undefined ? '' : `-${request.customerId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64)}`;
  return `journeyline-${request.kind}${customer}-${now.toISOString().slice(0, 10)}.${request.format}`;
}

/**
 * An export as text, a chunk per page, never the whole of it in memory: NDJSON lines, or CSV
 * (a UTF-8 byte-order mark and a header first, so Excel reads Vietnamese text; every text cell
 * made inert for spreadsheets, since every value comes from events anyone with an ingest key can
 * send). Each page's personal fields are opened before it is written; what an erasure left
 * unreadable is left out of events (an event of nothing but erased fields, out altogether), so the
 * export imports again, and empty in the customer list.
 */
export async function* exportText(request: ExportRequest, sources: ExportSources, onProgress?: (progress: ExportProgress) => void): AsyncGenerator<string> {
  const csv = request.format === 'csv';
  const columns = request.kind === 'events' ? importColumns() : EXPORTED_CUSTOMER_COLUMNS;
  if (csv) yield UTF8_BOM + csvLine(columns);
  let rows = 0;
  if (request.kind === 'events') {
    for await (const page of exportedEvents(sources.store, request)) {
      const events = (await sources.reveal(page.events)).map(withoutErasedFields).filter((event) => event !== null);
      rows += events.length;
      if (events.length > 0) yield events.map((event) => (csv ? csvLine(eventCells(event, columns)) : `${JSON.stringify(event)}\n`)).join('');
      onProgress?.({ done: page.done, end: page.end, rows });
    }
    return;
  }
  for await (const page of exportedCustomers(sources.reader, sources.store, request)) {
    const customers = await sources.reveal(page.customers);
    rows += customers.length;
    if (customers.length > 0) yield customers.map((customer) => (csv ? csvLine(customerCells(customer)) : `${JSON.stringify(customer)}\n`)).join('');
    onProgress?.({ done: page.done, end: page.end, rows });
  }
}

/** An event whose personal fields opened to null (an erased customer): those fields left out; null when nothing is left of a profile. */
function withoutErasedFields(event: WireEvent): WireEvent | null {
  const erased = Object.keys(event.data).filter((key) => event.data[key] === null);
  if (erased.length === 0) return event;
  const data = Object.fromEntries(Object.entries(event.data).filter(([, value]) => value !== null));
  if (event.type === 'customer.profiled' && Object.keys(data).length === 0) return null;
  return { ...event, data };
}

function eventCells(event: WireEvent, columns: readonly string[]): CsvValue[] {
  const envelope: Record<string, CsvValue> = { eventId: event.eventId, type: event.type, customerId: event.customerId, occurredAt: event.occurredAt };
  return columns.map((column) => {
    if (Object.prototype.hasOwnProperty.call(envelope, column)) return spreadsheetSafe(envelope[column]);
    const value = Object.prototype.hasOwnProperty.call(event.data, column) ? event.data[column] : undefined;
    return spreadsheetSafe(typeof value === 'object' && value !== null ? JSON.stringify(value) : (value as CsvValue));
  });
}

function customerCells(customer: ExportedCustomer): CsvValue[] {
  return EXPORTED_CUSTOMER_COLUMNS.map((column) => {
    const value = customer[column];
    return spreadsheetSafe(Array.isArray(value) ? value.join(' ') : value);
  });
}
