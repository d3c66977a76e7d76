import { Query } from '@nestjs/cqrs';
import type { AttentionRow } from '@journeyline/journey';
import type { DayWindow, SqlExecutor } from '@journeyline/projections';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

export type AttentionAnswerRow = AttentionRow & { commentsUrl: string };

/** The touchpoints significantly bad on any metric in the window, most urgent first. */
export class GetAttentionQuery extends Query<AttentionAnswerRow[]> {
  constructor(
    readonly window: DayWindow,
    readonly minSample: number,
    /** The metric parameters (absent: the built-in ones the buckets were folded with). */
    readonly definitions?: DefinitionsInForce,
    /** The metrics, targets and catalog as of a past moment (AsOfMetricReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
