import { Query } from '@nestjs/cqrs';
import type { AttentionRow } from '@journeyline/journey';
import type { DayWindow } from '@journeyline/projections';

export type AttentionAnswerRow = AttentionRow & { commentsUrl: string };

/** The touchpoints significantly bad on any metric in the window, most urgent first. */
export class GetAttentionQuery extends Query<AttentionAnswerRow[]> {
  constructor(
    readonly window: DayWindow,
    readonly minSample: number,
  ) {
    super();
  }
}
