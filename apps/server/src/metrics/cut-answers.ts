import { Inject, Injectable } from '@nestjs/common';
import { MetricsCache, READ_MODEL_DATABASE, type ReadModelDatabase } from '@journeyline/projections';

/** One cache of the metric cuts' answers, dropped when the cx-cuts read model moves (see MetricsCache). */
@Injectable()
export class CutAnswers extends MetricsCache {
  constructor(@Inject(READ_MODEL_DATABASE) db: ReadModelDatabase) {
    super(db.reader, 1000, 'cx-cuts');
  }
}
