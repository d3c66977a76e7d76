import type { EventStore } from '@journeyline/event-store';
import { ALERTS_STREAM, readAlertEvent, type AlertClosed, type AlertOpened } from '@journeyline/journey';

/** An alert as listed: what opened it, and what closed it once it has closed. */
export interface AlertView extends Omit<AlertOpened['data'], 'at'> {
  status: 'open' | 'closed';
  openedAt: string;
  closedAt: string | null;
  closedBecause: AlertClosed['data']['reason'] | null;
  /** The reading that closed it (null while open). */
  closedWith: Pick<AlertClosed['data'], 'value' | 'low' | 'high' | 'n'> | null;
}

/**
 * Every alert, newest first, folded from the `journeyline-alerts` stream (alerts are few: a
 * target breaches a handful of times a year). `status` keeps the open or the closed ones.
 */
export async function listAlerts(store: Pick<EventStore, 'readStream'>, status?: 'open' | 'closed'): Promise<AlertView[]> {
  const alerts = new Map<string, AlertView>();
  for (let from = 0; ;) {
    const events = await store.readStream(ALERTS_STREAM, { fromRevision: from, limit: 1000 });
    for (const stored of events) {
      const event = readAlertEvent(stored);
      if (event?.type === 'AlertOpened') {
        const { at, ...data } = event.data;
        alerts.set(data.alertId, { ...data, status: 'open', openedAt: at, closedAt: null, closedBecause: null, closedWith: null });
      } else if (event?.type === 'AlertClosed') {
        const alert = alerts.get(event.data.alertId);
        if (!alert) continue;
        Object.assign(alert, {
          status: 'closed',
          closedAt: event.data.at,
          closedBecause: event.data.reason,
          closedWith: { value: event.data.value, low: event.data.low, high: event.data.high, n: event.data.n },
        });
      }
    }
    from += events.length;
    if (events.length < 1000) break;
  }
  return [...alerts.values()].filter((a) => status === undefined || a.status === status).reverse();
}
