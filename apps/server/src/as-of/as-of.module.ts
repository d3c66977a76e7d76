import { Global, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { PersonalData } from '@journeyline/privacy';
import { AsOfReplays } from '@journeyline/projections';
import { MetricsAsOfSource } from './metrics-as-of.source';

/** The per-customer read models as of a past moment (replayed, the last few kept), for the reads that answer `asOf` that way. */
@Injectable()
export class AsOfReadModels extends AsOfReplays implements OnModuleDestroy {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(JOURNEYLINE_CONFIG) config: JourneylineConfig, personal: PersonalData) {
    super(store, config.timeZone, personal);
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

@Global()
@Module({ providers: [AsOfReadModels, MetricsAsOfSource], exports: [AsOfReadModels, MetricsAsOfSource] })
export class AsOfModule {}
