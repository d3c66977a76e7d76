import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { seedDemo } from '@journeyline/demo';
import { customerIdOf } from '@journeyline/journey';
import { Followers } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';

/**
 * The number of demo customers asked for, or null. The one place the dashboard reads the
 * environment (JOURNEYLINE_DEMO_CUSTOMERS), until it moves into the validated configuration.
 */
export function demoCustomersRequested(env: Record<string, string | undefined> = process.env): number | null {
  const raw = env.JOURNEYLINE_DEMO_CUSTOMERS?.trim();
  if (!raw) return null;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 1_000_000) {
    throw new Error(`JOURNEYLINE_DEMO_CUSTOMERS must be a whole number from 1 to 1000000, got "${raw}"`);
  }
  return Number(raw);
}

/**
 * With JOURNEYLINE_DEMO_CUSTOMERS=n, fills an EMPTY store with n demo customers after start-up,
 * in the background (the server answers meanwhile and the dashboard fills as it goes), waking
 * the projector after every chunk. A store that holds anything is left alone. Shutdown waits for
 * the chunk in flight, so the store is never closed under it.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('demo');
  private readonly customers = demoCustomersRequested();
  private stopping = false;
  /** Settles when seeding has finished (or was never started); never rejects. */
  done: Promise<void> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly followers: Followers,
    private readonly personal: PersonalData,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.customers === null) return;
    if (await this.holdsCustomers()) {
      this.logger.log({ msg: 'store holds customers already: no demo data added', customers: this.customers });
      return;
    }
    this.done = this.seed(this.customers);
  }

  /** Whether any customer's event is stored (the API keys and the audit trail do not count). */
  private async holdsCustomers(): Promise<boolean> {
    const events = await this.store.readAll({ after: 0, limit: 10_000 });
    return events.some((event) => customerIdOf(event.streamId) !== null) || events.length === 10_000;
  }

  private async seed(customers: number): Promise<void> {
    const started = Date.now();
    const step = Math.max(100, Math.ceil(customers / 10 / 100) * 100);
    this.logger.log({ msg: 'seeding demo data in the background', customers });
    try {
      const result = await seedDemo(this.store, {
        customers,
        personal: this.personal,
        onProgress: (done, total, events) => {
          this.followers.wake();
          if (done % step === 0 || done === total) this.logger.log({ msg: 'seeding demo data', customers: done, of: total, events });
        },
        shouldStop: () => this.stopping,
      });
      this.followers.wake();
      this.logger.log({ msg: this.stopping ? 'demo seeding interrupted by shutdown' : 'demo data seeded', ...result, ms: Date.now() - started });
    } catch (error) {
      this.logger.error({ msg: 'demo seeding failed', error: String(error), stack: (error as Error)?.stack });
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.done;
  }
}
