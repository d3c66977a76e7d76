/**
 * The dashboard reads each API answer as a type of its own (apps/dashboard/src/types.ts). This file
 * is compiled by `npm run typecheck` (`npm test`), never run: every answer a controller returns must
 * be assignable to the dashboard's type for it, so a field renamed, dropped or retyped on the server
 * fails the build instead of the page. The controllers' answers are typed end to end because each
 * query declares its result (`Query<R>` from @nestjs/cqrs).
 */
import type * as Dashboard from '../apps/dashboard/src/types';
import type { ChurnRisksController } from '../apps/server/src/churn-risks/churn-risks.controller';
import type { CustomersController } from '../apps/server/src/customers/customers.controller';
import type { TouchpointCommentsController } from '../apps/server/src/dashboard/touchpoint-comments.controller';
import type { TouchpointStagesController } from '../apps/server/src/dashboard/touchpoint-stages.controller';
import type { FunnelController } from '../apps/server/src/funnel/funnel.controller';
import type { HealthController } from '../apps/server/src/health/health.controller';
import type { MetricsController } from '../apps/server/src/metrics/metrics.controller';
import type { RetentionController } from '../apps/server/src/retention/retention.controller';

/** What a controller method sends as JSON. */
type Answer<Method extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<Method>>;
/** Compiles only when `Server` is assignable to `Read`. */
type Reads<Server extends Read, Read> = [Server, Read];

export type DashboardApiContract = [
  Reads<Answer<HealthController['health']>, Dashboard.Health>,
  Reads<Answer<MetricsController['metrics']>, Dashboard.MetricsAnswer>,
  Reads<Answer<MetricsController['series']>, Dashboard.SeriesAnswer>,
  Reads<Answer<MetricsController['distribution']>, Dashboard.DistributionAnswer>,
  Reads<Answer<MetricsController['worst']>, Dashboard.WorstAnswer>,
  Reads<Answer<RetentionController['retention']>, Dashboard.RetentionAnswer>,
  Reads<Answer<FunnelController['funnel']>, Dashboard.FunnelAnswer>,
  Reads<Answer<TouchpointStagesController['byStage']>, Dashboard.TouchpointStagesAnswer>,
  Reads<Answer<TouchpointCommentsController['comments']>, Dashboard.CommentsAnswer>,
  Reads<Answer<CustomersController['list']>, Dashboard.Page<Dashboard.CustomerListItem>>,
  Reads<Answer<CustomersController['events']>, Dashboard.Page<Dashboard.CustomerEvent>>,
  Reads<Answer<CustomersController['journey']>, Dashboard.Journey>,
  Reads<Answer<ChurnRisksController['list']>, Dashboard.ChurnRiskAnswer>,
];
