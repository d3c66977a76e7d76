import { Query } from '@nestjs/cqrs';
import type { DayWindow, ExplainGrouping, Metric, PlaceDimension, SqlExecutor } from '@journeyline/projections';
import type { MetricChangeExplained } from './metric-change-explained';
import type { DefinitionsInForce } from '../../definitions/metric-definitions-in-force';

/** Why a metric differs between a window and the one of equal length just before it. */
export class ExplainMetricChangeQuery extends Query<MetricChangeExplained> {
  constructor(
    readonly metric: Metric,
    readonly place: Partial<Record<PlaceDimension, string>>,
    readonly by: ExplainGrouping,
    readonly window: DayWindow,
    readonly scale: string | undefined,
    readonly limit: number,
    /** The metric parameters the change is computed under. */
    readonly definitions: DefinitionsInForce,
    /** The read models as of a past moment (AsOfReadModels); absent: today's. */
    readonly readModels?: SqlExecutor,
  ) {
    super();
  }
}
