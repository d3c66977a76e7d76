import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@journeyline/event-store';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import { metricsAsOf, READ_MODEL_DATABASE, type MetricsAsOf, type ReadModelDatabase } from '@journeyline/projections';

/** What an as-of answer says of itself: the moment, and how it was made (see libs/projections/src/as-of). */
export interface AsOfStatement {
  asOf: string;
  path: MetricsAsOf['path'];
  /** Events of the log read to fold the part of asOf's day recorded before it. */
  eventsReplayed: number;
}

/** Runs a metric read as of a moment (or as of now, given null), and says how it was answered. */
@Injectable()
export class MetricsAsOfSource {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
  ) {}

  async read<T>(asOf: Date | null, run: (asOf?: MetricsAsOf) => Promise<T>): Promise<{ result: T; asOf?: AsOfStatement }> {
    if (asOf === null) return { result: await run() };
    const view = await metricsAsOf(this.store, this.db.reader, this.config.timeZone, asOf);
    try {
      return { result: await run(view), asOf: { asOf: view.asOf, path: view.path, eventsReplayed: view.tailEvents } };
    } finally {
      await view.release();
    }
  }
}
