import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { Followers, WebhookDelivery } from '@journeyline/platform';
import { AlertProcess } from '@journeyline/projections';

/**
 * Starts the alerts process and the webhook delivery with the app, and stops them before the
 * stores close. The alerts process is one of the followers (woken by appends, in /health); the
 * delivery follows its own stream on its own timer.
 */
@Injectable()
export class AlertsLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly followers: Followers,
    private readonly alerts: AlertProcess,
    private readonly webhooks: WebhookDelivery,
  ) {}

  onApplicationBootstrap(): void {
    this.followers.add(this.alerts);
    this.alerts.start();
    this.webhooks.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.alerts.stop();
    await this.webhooks.stop();
  }
}
