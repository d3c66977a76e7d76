/**
 * The dashboard reads each API answer as a type of its own (apps/dashboard/src/types.ts). This file
 * is compiled by `npm run typecheck` (`npm test`), never run: every answer a controller returns must
 * be assignable to the dashboard's type for it, so a field renamed, dropped or retyped on the server
 * fails the build instead of the page. The controllers' answers are typed end to end because each
 * query declares its result (`Query<R>` from @nestjs/cqrs).
 */
import type * as Dashboard from '../apps/dashboard/src/types';
import type { ListChurnRisksController } from '../apps/server/src/churn-risks/list-churn-risks/list-churn-risks.controller';
import type { GetCustomerEventsController } from '../apps/server/src/customers/get-customer-events/get-customer-events.controller';
import type { GetCustomerJourneyController } from '../apps/server/src/customers/get-customer-journey/get-customer-journey.controller';
import type { ListCustomersController } from '../apps/server/src/customers/list-customers/list-customers.controller';
import type { GetFunnelController } from '../apps/server/src/funnel/get-funnel/get-funnel.controller';
import type { HealthController } from '../apps/server/src/health/health.controller';
import type { GetMetricSeriesController } from '../apps/server/src/metrics/get-metric-series/get-metric-series.controller';
import type { GetMetricsController } from '../apps/server/src/metrics/get-metrics/get-metrics.controller';
import type { ExplainMetricChangeController } from '../apps/server/src/metrics/explain-metric-change/explain-metric-change.controller';
import type { GetScoreDistributionController } from '../apps/server/src/metrics/get-score-distribution/get-score-distribution.controller';
import type { GetWorstTouchpointsController } from '../apps/server/src/metrics/get-worst-touchpoints/get-worst-touchpoints.controller';
import type { GetRetentionController } from '../apps/server/src/retention/get-retention/get-retention.controller';
import type { ListResponseRatesController } from '../apps/server/src/surveys/list-response-rates/list-response-rates.controller';
import type { GetTouchpointCommentsController } from '../apps/server/src/touchpoints/get-touchpoint-comments/get-touchpoint-comments.controller';
import type { GetTouchpointStagesController } from '../apps/server/src/touchpoints/get-touchpoint-stages/get-touchpoint-stages.controller';
import type { GetAttentionController } from '../apps/server/src/touchpoints/get-attention/get-attention.controller';

/** What a controller method sends as JSON. */
type Answer<Method extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<Method>>;
/** Compiles only when `Server` is assignable to `Read`. */
type Reads<Server extends Read, Read> = [Server, Read];

export type DashboardApiContract = [
  Reads<Answer<HealthController['health']>, Dashboard.Health>,
  Reads<Answer<GetMetricsController['metrics']>, Dashboard.MetricsAnswer>,
  Reads<Answer<GetMetricSeriesController['series']>, Dashboard.SeriesAnswer>,
  Reads<Answer<GetScoreDistributionController['distribution']>, Dashboard.DistributionAnswer>,
  Reads<Answer<GetWorstTouchpointsController['worst']>, Dashboard.WorstAnswer>,
  Reads<Answer<ExplainMetricChangeController['explain']>, Dashboard.ExplainAnswer>,
  Reads<Answer<GetRetentionController['retention']>, Dashboard.RetentionAnswer>,
  Reads<Answer<GetFunnelController['funnel']>, Dashboard.FunnelAnswer>,
  Reads<Answer<GetTouchpointStagesController['byStage']>, Dashboard.TouchpointStagesAnswer>,
  Reads<Answer<GetTouchpointCommentsController['comments']>, Dashboard.CommentsAnswer>,
  Reads<Answer<GetAttentionController['attention']>, Dashboard.AttentionAnswer>,
  Reads<Answer<ListCustomersController['list']>, Dashboard.Page<Dashboard.CustomerListItem>>,
  Reads<Answer<GetCustomerEventsController['events']>, Dashboard.Page<Dashboard.CustomerEvent>>,
  Reads<Answer<GetCustomerJourneyController['journey']>, Dashboard.Journey>,
  Reads<Answer<ListChurnRisksController['list']>, Dashboard.ChurnRiskAnswer>,
  Reads<Answer<ListResponseRatesController['rates']>, Dashboard.ResponseRatesAnswer>,
];
