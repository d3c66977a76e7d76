import { Inject, Injectable } from '@nestjs/common';
import { MetricsCache, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';

/** One cache of metric answers for the metric handlers (see MetricsCache for when it is dropped). */
@Injectable()
export class MetricAnswers extends MetricsCache {
  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    super(db.reader);
  }
}
