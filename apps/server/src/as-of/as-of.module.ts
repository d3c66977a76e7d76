import { Global, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { AsOfReplays, customerReadModels, metricReadModels } from '@journeyline/projections';
import { MetricsAsOfSource } from './metrics-as-of.source';

/** The per-customer read models as of a past moment (replayed, the last few kept), for the reads that answer `asOf` that way. */
@Injectable()
export class AsOfReadModels extends AsOfReplays implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig, personal: PersonalData) {
    super(store, customerReadModels(config.timeZone, personal));
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

/** The metrics with the touchpoint catalog and the targets as of a past moment (replayed), for the metrics by experience type or owner and the attention list. */
@Injectable()
export class AsOfMetricReadModels extends AsOfReplays implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig) {
    super(store, metricReadModels(config.timeZone));
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
