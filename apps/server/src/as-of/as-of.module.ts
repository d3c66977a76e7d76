import * as path from 'node:path';
import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { Followers, JOURNEYLINE_CONFIG, ReplayThread, type JourneylineConfig, type ReplaySet } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { AsOfReplays, customerReadModels, metricReadModels, type AsOfReplaysOptions, type AsOfSnapshotOptions } from '@journeyline/projections';
import { MetricsAsOfSource } from './metrics-as-of.source';

const logger = new Logger('as-of');

/**
 * The snapshot ladder of one replayed set, under `<JOURNEYLINE_DATA_DIR>/as-of-snapshots/<set>`
 * (local files whatever the store). Its builder waits while the live read models are behind the
 * log: after a burst of ingestion the projector catches up first.
 */
function snapshotsOf(config: JourneylineConfig, followers: Followers, set: ReplaySet, erasures?: PersonalData): AsOfSnapshotOptions {
  return {
    busy: async () => (await followers.behind()) > 0,
    dir: path.join(config.dataDir, 'as-of-snapshots', set),
    everyEvents: config.asOfSnapshotEvents,
    maxKept: config.asOfSnapshotKeep,
    settings: `timeZone=${config.timeZone}`,
    erasures,
    onError: (error) => logger.warn({ msg: 'as-of snapshot step failed; tried again later', set, error: String(error) }),
  };
}

/**
 * How the replays of one set run: its snapshot ladder (above), the replays and the builder's steps
 * on a thread of their own (replay-thread.ts), so one read as of a past moment does not hold up
 * every other request for seconds (on the event loop's thread, AsOfReplays' default, with
 * JOURNEYLINE_PROJECTOR_THREAD=false), and their transactions' size.
 */
function replaysOf(config: JourneylineConfig, followers: Followers, set: ReplaySet, erasures?: PersonalData): AsOfReplaysOptions {
  return {
    snapshots: snapshotsOf(config, followers, set, erasures),
    runner: config.projectorThread ? new ReplayThread(config, set) : undefined,
    transactionEvents: config.asOfTransactionEvents,
  };
}

/** The per-customer read models as of a past moment (a snapshot plus the tail replayed, or the whole log; the last few kept), for the reads that answer `asOf` that way. */
@Injectable()
export class AsOfReadModels extends AsOfReplays implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig, personal: PersonalData, followers: Followers) {
    super(store, customerReadModels(config.timeZone, personal), replaysOf(config, followers, 'customers', personal));
  }

  onApplicationBootstrap(): void {
    this.startSnapshots();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

/** The metrics with the touchpoint catalog and the targets as of a past moment (as above), for the metrics by experience type or owner and the attention list. */
@Injectable()
export class AsOfMetricReadModels extends AsOfReplays implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig, followers: Followers) {
    super(store, metricReadModels(config.timeZone), replaysOf(config, followers, 'metrics'));
  }

  onApplicationBootstrap(): void {
    this.startSnapshots();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

@Global()
@Module({
  providers: [AsOfReadModels, AsOfMetricReadModels, MetricsAsOfSource],
  exports: [AsOfReadModels, AsOfMetricReadModels, MetricsAsOfSource],
})
export class AsOfModule {}
