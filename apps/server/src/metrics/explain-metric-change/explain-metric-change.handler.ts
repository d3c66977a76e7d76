import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { trendDirection } from '@journeyline/journey';
import { JOURNEYLINE_CONFIG, type JourneylineConfig } from '@journeyline/platform';
import {
  answersBehindChange,
  explainMetricChange,
  previousWindow,
  READ_MODEL_DATABASE,
  type ChangeAnswer,
  type ReadModelDatabase,
} from '@journeyline/projections';
import { CutAnswers } from '../cut-answers';
import { ExplainMetricChangeQuery } from './explain-metric-change.query';
import type { MetricChangeExplained } from './metric-change-explained';

@QueryHandler(ExplainMetricChangeQuery)
export class ExplainMetricChangeHandler implements IQueryHandler<ExplainMetricChangeQuery, MetricChangeExplained> {
  constructor(
    @Inject(READ_MODEL_DATABASE) private readonly db: ReadModelDatabase,
    @Inject(JOURNEYLINE_CONFIG) private readonly config: JourneylineConfig,
    private readonly cached: CutAnswers,
  ) {}

  async execute({ metric, place, by, window, scale, limit, definitions, readModels }: ExplainMetricChangeQuery): Promise<MetricChangeExplained> {
    const previous = previousWindow(window, this.config.timeZone);
    const reader = readModels ?? this.db.reader;
    const split = () => explainMetricChange(reader, { metric, place, by, window, previous, scale, classes: definitions.parameters });
    // the split comes from the day buckets (cached while they stay as they are, but not as of a past moment: the replay is kept instead); the answers are read each time
    const explained = readModels
      ? await split()
      : await this.cached.get(JSON.stringify(['explain', metric, place, by, window, scale, definitions.version]), split);
    const { focus } = explained;
    const answers =
      focus && limit > 0
        ? await answersBehindChange(reader, {
            metric,
            scale: explained.scale,
            place,
            by,
            key: focus.key,
            order: focus.answers,
            window,
            bucketTimeZone: this.config.timeZone,
            limit,
          })
        : [];
    return {
      metric,
      by,
      filters: place,
      window,
      previousWindow: previous,
      definitions: { version: definitions.version },
      ...explained,
      direction: trendDirection(metric, explained.change),
      groups: explained.groups.map((g) => ({ by, ...g })),
      focus: focus && { by, ...focus },
      answers: answers.map((a) => ({ ...a, links: linksOf(a, window) })),
    };
  }
}

/** Where to read more: the customer's journey, the touchpoint's comments over the window, the answer in the dashboard. */
function linksOf(answer: ChangeAnswer, window: { from: string; to: string }) {
  const customer = encodeURIComponent(answer.customerId);
  return {
    journey: `/api/v1/customers/${customer}/journey`,
    comments: `/api/v1/touchpoints/${encodeURIComponent(answer.touchpoint)}/comments?${new URLSearchParams({ from: window.from, to: window.to })}`,
    dashboard: `/customers/${customer}#ev-${encodeURIComponent(answer.eventId)}`,
  };
}
