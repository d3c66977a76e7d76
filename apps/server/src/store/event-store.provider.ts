import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Provider } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { EVENT_STORE, KurrentDbEventStore, PostgresEventStore, SqliteEventStore, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '../config/journeyline-config';
import { EventsAppended } from '../events/events-appended.event';

/** Schema of the event log when JOURNEYLINE_STORE=postgres (the read models have their own). */
export const POSTGRES_EVENT_STORE_SCHEMA = 'journeyline';

/** Opens the configured event store once; Nest closes it on shutdown (see AppModule). */
export const eventStoreProvider: Provider = {
  provide: EVENT_STORE,
  // Optional: the worker wires the store without CQRS.
  inject: [JOURNEYLINE_CONFIG, { token: EventBus, optional: true }],
  useFactory: async (config: JourneylineConfig, eventBus?: EventBus): Promise<EventStore> => {
    const store = await openEventStore(config);
    if (eventBus && canSubscribe(store)) wakeOnOtherAppends(store, eventBus);
    return store;
  },
};

export async function openEventStore(config: JourneylineConfig): Promise<EventStore> {
  switch (config.store) {
    case 'sqlite': {
      fs.mkdirSync(config.dataDir, { recursive: true });
      return SqliteEventStore.open(path.join(config.dataDir, 'journeyline.db'));
    }
    case 'postgres':
      return PostgresEventStore.open({ connectionString: requiredUrl(config), schema: POSTGRES_EVENT_STORE_SCHEMA });
    case 'kurrentdb':
      return KurrentDbEventStore.open(requiredUrl(config));
    default:
      throw new Error(`JOURNEYLINE_STORE=${config.store} is not available in this build yet; use sqlite or postgres`);
  }
}

/** Adapters of a shared store announce appends from every process (Postgres LISTEN/NOTIFY, KurrentDB $all). */
interface SubscribableStore extends EventStore {
  subscribe(listener: (notice: { position: number; count: number } | null) => void): () => void;
}

function canSubscribe(store: EventStore): store is SubscribableStore {
  return typeof (store as Partial<SubscribableStore>).subscribe === 'function';
}

/**
 * Other processes (more servers, Kafka workers, the CLI) append to the same database: their
 * announcements reach this process as EventsAppended, so its projectors wake at once instead of
 * at the next poll. The poll stays as the fallback (a NOTIFY is missed while the listening
 * connection is down). Our own appends wake the projectors twice; wake-ups coalesce. The store
 * ends the subscription when it closes.
 */
function wakeOnOtherAppends(store: SubscribableStore, eventBus: EventBus): void {
  store.subscribe((notice) => eventBus.publish(new EventsAppended(notice?.position ?? 0, notice?.count ?? 0)));
}

function requiredUrl(config: JourneylineConfig): string {
  // loadConfig already refuses a missing URL for postgres; this keeps the type honest.
  if (!config.storeUrl) throw new Error(`JOURNEYLINE_STORE_URL is required when JOURNEYLINE_STORE=${config.store}`);
  return config.storeUrl;
}
