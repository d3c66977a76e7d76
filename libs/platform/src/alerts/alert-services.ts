import type { EventStore } from '@journeyline/event-store';
import { AlertProcess, type ReadModelDatabase } from '@journeyline/projections';
import type { JourneylineConfig } from '../config/journeyline-config';
import type { Followers } from '../followers/followers';
import type { Log } from '../logging/log';
import { WebhookDelivery } from '../webhooks/webhook-delivery';

/**
 * The alerts process (targets judged against the metrics, breaches and recoveries appended) and
 * the webhook delivery that follows what it appends, built the same way wherever they run. The
 * alerts process judges the metrics read model once it has caught up with the log, so it asks
 * the followers' projector how far `cx-metrics` is.
 */
export function alertProcess(store: EventStore, readModels: ReadModelDatabase, followers: Followers, config: JourneylineConfig, log: Log): AlertProcess {
  return new AlertProcess(store, readModels, {
    windowDays: config.alerts.windowDays,
    timeZone: config.timeZone,
    intervalMs: config.alerts.intervalMs,
    metricsPosition: async () => (await followers.projector.progress()).find((p) => p.projection === 'cx-metrics')?.position ?? -1,
    onError: (error) => log.error({ component: 'alerts', err: error }, 'alerts evaluation failed; it retries at the next interval'),
  });
}

export function webhookDelivery(store: EventStore, readModels: ReadModelDatabase, config: JourneylineConfig, log: Log): WebhookDelivery {
  return new WebhookDelivery(store, readModels, {
    ...config.alerts.webhooks,
    onError: (error) => log.error({ component: 'webhooks', err: error }, 'webhook delivery pass failed; it retries shortly'),
  });
}
