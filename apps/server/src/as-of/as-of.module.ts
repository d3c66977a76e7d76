import * as path from 'node:path';
import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { Followers, JOURNEYLINE_CONFIG, ReplayThread, type JourneylineConfig, type ReplaySet } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { AsOfReplays, customerReadModels, metricReadModels, type AsOfSnapshotOptions, type ReplayRunner } from '@journeyline/projections';
import { MetricsAsOfSource } from './metrics-as-of.source';

const logger = new Logger('as-of');

/**
 * The snapshot ladder of one replayed set, under `<JOURNEYLINE_DATA_DIR>/as-of-snapshots/<set>`
 * (local files whatever the store). Its builder waits while the live read models are behind the
 * log: after a burst of ingestion the projector catches up first.
 */
function snapshotsOf(config: JourneylineConfig, followers: Followers, set: string, erasures?: PersonalData): AsOfSnapshotOptions {
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
 * The replays and the builder's steps on a thread of their own (replay-thread.ts), so one read as
 * of a past moment does not hold up every other request for seconds; on the event loop's thread
 * (undefined: AsOfReplays' default) with JOURNEYLINE_PROJECTOR_THREAD=false.
 */
function replayRunner(config: JourneylineConfig, set: ReplaySet): ReplayRunner | undefined {
  return config.projectorThread ? new ReplayThread(config, set) : undefined;
}

/** The per-customer read models as of a past moment (a snapshot plus the tail replayed, or the whole log; the last few kept), for the reads that answer `asOf` that way. */
@Injectable()
export class AsOfReadModels extends AsOfReplays implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig, personal: PersonalData, followers: Followers) {
    super(store, customerReadModels(config.timeZone, personal), {
      snapshots: snapshotsOf(config, followers, 'customers', personal),
      runner: replayRunner(config, 'customers'),
      transactionEvents: config.asOfTransactionEvents,
    });
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
    super(store, metricReadModels(config.timeZone), {
      snapshots: snapshotsOf(config, followers, 'metrics'),
      runner: replayRunner(config, 'metrics'),
      transactionEvents: config.asOfTransactionEvents,
    });
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
