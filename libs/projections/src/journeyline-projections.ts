import type { EventStore } from '@journeyline/event-store';
import { ChurnRiskProjection } from './churn-risk/churn-risk.projection';
import { CxMetricsProjection } from './cx-metrics/cx-metrics.projection';
import { JourneyMapProjection } from './journey-map/journey-map.projection';
import type { Projection } from './runtime/projection';
import { SegmentUnmappedProjection } from './segment-unmapped/segment-unmapped.projection';
import { SurveyResponsesProjection } from './survey-responses/survey-responses.projection';

/**
 * Every projection of the product, in one list: the server's embedded projector, the workers, the
 * CLI's rebuild and the benchmarks keep the same names and versions, so they can share one
 * read-model database (their checkpoints make them take turns and never apply a batch twice).
 */
export function journeylineProjections(store: Pick<EventStore, 'readStream'>, timeZone: string): Projection[] {
  return [
    new JourneyMapProjection(store),
    new CxMetricsProjection(timeZone),
    new ChurnRiskProjection(),
    new SegmentUnmappedProjection(),
    new SurveyResponsesProjection(),
  ];
}
