import { Module } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import {
  alertProcess,
  Followers,
  JOURNEYLINE_CONFIG,
  PLATFORM_LOG,
  WebhookDelivery,
  webhookDelivery,
  type JourneylineConfig,
  type Log,
} from '@journeyline/platform';
import { AlertProcess, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { AlertsLifecycle } from './alerts-lifecycle';
import { ListAlertsController } from './list-alerts/list-alerts.controller';
import { ListAlertsHandler } from './list-alerts/list-alerts.handler';
import { ListWebhookDeliveriesController } from './list-webhook-deliveries/list-webhook-deliveries.controller';
import { ListWebhookDeliveriesHandler } from './list-webhook-deliveries/list-webhook-deliveries.handler';

export const QueryHandlers = [ListAlertsHandler, ListWebhookDeliveriesHandler];

/**
 * Alerts: targets judged against the metrics (breaches and recoveries as events in
 * `journeyline-alerts`), listed at GET /api/v1/alerts, delivered to the configured webhooks
 * (delivery log at GET /api/v1/webhooks/deliveries).
 */
@Module({
  controllers: [ListAlertsController, ListWebhookDeliveriesController],
  providers: [
    {
      provide: AlertProcess,
      inject: [EVENT_STORE, READ_MODEL_DATABASE, Followers, JOURNEYLINE_CONFIG, PLATFORM_LOG],
      useFactory: (store: EventStore, readModels: ReadModelDatabase, followers: Followers, config: JourneylineConfig, log: Log) =>
        alertProcess(store, readModels, followers, config, log),
    },
    {
      provide: WebhookDelivery,
      inject: [EVENT_STORE, READ_MODEL_DATABASE, JOURNEYLINE_CONFIG, PLATFORM_LOG],
      useFactory: (store: EventStore, readModels: ReadModelDatabase, config: JourneylineConfig, log: Log) => webhookDelivery(store, readModels, config, log),
    },
    AlertsLifecycle,
    ...QueryHandlers,
  ],
})
export class AlertsModule {}
