import type { EventStore } from '@journeyline/event-store';
import { ChurnRiskProjection } from './churn-risk/churn-risk.projection';
import { CxCutsProjection } from './cx-cuts/cx-cuts.projection';
import { CxMetricsProjection } from './cx-metrics/cx-metrics.projection';
import { CustomerSearchProjection, type SearchablePersonalData } from './customer-search/customer-search.projection';
import { CustomerValueProjection } from './customer-value/customer-value.projection';
import { JourneyMapProjection } from './journey-map/journey-map.projection';
import type { Projection } from './runtime/projection';
import { SegmentUnmappedProjection } from './segment-unmapped/segment-unmapped.projection';
import { SurveyResponsesProjection } from './survey-responses/survey-responses.projection';
import { FollowUpsProjection } from './follow-ups/follow-ups.projection';
import { TargetsProjection } from './targets/targets.projection';
import { TouchpointCatalogProjection } from './touchpoint-catalog/touchpoint-catalog.projection';

/**
 * Every projection of the product, in one list: the server's embedded projector, the workers, the
 * CLI's rebuild and the benchmarks keep the same names and versions, so they can share one
 * read-model database (their checkpoints make them take turns and never apply a batch twice).
 * The customer search opens sealed names through `personal` (the key vault): a process that has
 * none (specs, benchmarks) runs without it, and leaves its table and checkpoint alone.
 */
export function journeylineProjections(store: Pick<EventStore, 'readStream'>, timeZone: string, personal?: SearchablePersonalData): Projection[] {
  return [
    new JourneyMapProjection(store, timeZone),
    new CxMetricsProjection(timeZone),
    new CxCutsProjection(timeZone),
    new ChurnRiskProjection(),
    new SegmentUnmappedProjection(),
    new SurveyResponsesProjection(),
    new FollowUpsProjection(),
    new TouchpointCatalogProjection(),
    new CustomerValueProjection(),
    new TargetsProjection(),
    ...(personal ? [new CustomerSearchProjection(personal)] : []),
  ];
}
