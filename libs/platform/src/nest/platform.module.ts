import {
  Global,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { ApiKeyRegistry, AuditTrail } from '@journeyline/access';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { PersonalData } from '@journeyline/privacy';
import type { ChurnRule } from '@journeyline/journey';
import { ChurnRulesRegistry, MetricDefinitionsRegistry, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';
import { loadChurnRules } from '../churn-rules/load-churn-rules';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { Followers } from '../followers/followers';
import type { Log } from '../logging/log';
import { apiKeyRegistry, personalData } from '../access/access-services';
import { configuredStore, openEventStore, openReadModels } from '../stores/store-location';

export const CHURN_RULES = Symbol('CHURN_RULES');
export const PLATFORM_LOG = Symbol('PLATFORM_LOG');

export interface PlatformOptions {
  log: Log;
  /**
   * Start the followers with the app, catching up in the background so that the app listens at
   * once (the server: `/health/ready` says when it has caught up), and stop them before it closes;
   * the worker orders its own start.
   */
  runFollowers: boolean;
}

/** Starts the followers when the app has started (their catch-up in the background), stops them before anything closes. */
@Injectable()
class FollowersLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly followers: Followers) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.followers.startInBackground();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.followers.stop();
  }
}

/**
 * The persistence and followers every app wires the same way, global so that no module looks
 * providers up by service locator: configuration (JOURNEYLINE_CONFIG), the event store
 * (EVENT_STORE), the read models (READ_MODEL_DATABASE), the churn-risk rules (CHURN_RULES), the
 * followers, personal data (its key vault), the API keys, the audit trail, and the log. The stores close after every other shutdown hook.
 */
@Global()
@Module({})
export class PlatformModule implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly readModels: ReadModelDatabase,
    private readonly personal: PersonalData,
  ) {}

  static forRoot(config: JourneylineConfig, options: PlatformOptions): DynamicModule {
    const providers: Provider[] = [
      { provide: JOURNEYLINE_CONFIG, useValue: config },
      { provide: PLATFORM_LOG, useValue: options.log },
      { provide: EVENT_STORE, useFactory: () => openEventStore(configuredStore(config)) },
      { provide: READ_MODEL_DATABASE, useFactory: () => openReadModels(config) },
      { provide: CHURN_RULES, useFactory: (): readonly ChurnRule[] => loadChurnRules(config.churnRulesFile) },
      // the versioned definitions: the configuration's recorded before first use, an admin's changes after
      {
        provide: ChurnRulesRegistry,
        inject: [EVENT_STORE, CHURN_RULES],
        useFactory: (store: EventStore, rules: readonly ChurnRule[]) => new ChurnRulesRegistry(store, rules),
      },
      {
        provide: MetricDefinitionsRegistry,
        inject: [EVENT_STORE],
        useFactory: (store: EventStore) => new MetricDefinitionsRegistry(store, { minSample: config.minSample, timeZone: config.timeZone }),
      },
      { provide: PersonalData, useFactory: () => personalData(config) },
      { provide: ApiKeyRegistry, inject: [EVENT_STORE], useFactory: (store: EventStore) => apiKeyRegistry(store, config) },
      { provide: AuditTrail, inject: [EVENT_STORE], useFactory: (store: EventStore) => new AuditTrail(store) },
      {
        provide: Followers,
        inject: [EVENT_STORE, READ_MODEL_DATABASE, ChurnRulesRegistry, PersonalData],
        useFactory: (store: EventStore, readModels: ReadModelDatabase, rules: ChurnRulesRegistry, personal: PersonalData) =>
          new Followers(store, readModels, config, rules, options.log.child({ component: 'followers' }), personal),
      },
    ];
    return {
      module: PlatformModule,
      providers: [...providers, ...(options.runFollowers ? [FollowersLifecycle] : [])],
      exports: providers.map((p) => (typeof p === 'function' ? p : p.provide)),
    };
  }

  /** After every beforeApplicationShutdown (followers, consumers): nothing writes any more. */
  async onApplicationShutdown(): Promise<void> {
    await this.readModels.close();
    await this.personal.vault.close();
    await this.store.close();
  }
}
