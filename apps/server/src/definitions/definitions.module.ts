import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { PLATFORM_LOG, type Log } from '@journeyline/platform';
import { MetricDefinitionsRegistry } from '@journeyline/projections';
import { ChangeChurnRulesController } from './change-churn-rules/change-churn-rules.controller';
import { ChangeChurnRulesHandler } from './change-churn-rules/change-churn-rules.handler';
import { ChangeMetricDefinitionsController } from './change-metric-definitions/change-metric-definitions.controller';
import { ChangeMetricDefinitionsHandler } from './change-metric-definitions/change-metric-definitions.handler';
import { ListChurnRulesController } from './list-churn-rules/list-churn-rules.controller';
import { ListChurnRulesHandler } from './list-churn-rules/list-churn-rules.handler';
import { ListMetricDefinitionsController } from './list-metric-definitions/list-metric-definitions.controller';
import { ListMetricDefinitionsHandler } from './list-metric-definitions/list-metric-definitions.handler';

export const QueryHandlers = [ListMetricDefinitionsHandler, ListChurnRulesHandler];
export const CommandHandlers = [ChangeMetricDefinitionsHandler, ChangeChurnRulesHandler];

/**
 * Versioned definitions: the metric parameters (NPS classes, CSAT and CES boxes, minimum sample,
 * time zone) and the churn-risk rules, each changed by an admin and listed with its history. The
 * registries themselves are the platform's (the churn-risk process and every metric read use them).
 */
@Module({
  controllers: [ListMetricDefinitionsController, ChangeMetricDefinitionsController, ListChurnRulesController, ChangeChurnRulesController],
  providers: [...QueryHandlers, ...CommandHandlers],
})
export class DefinitionsModule implements OnApplicationBootstrap {
  constructor(
    private readonly metricDefinitions: MetricDefinitionsRegistry,
    @Inject(PLATFORM_LOG) private readonly log: Log,
  ) {}

  /**
   * The configuration's metric parameters are recorded at start (a new version when
   * JOURNEYLINE_MIN_SAMPLE or JOURNEYLINE_TZ changed), so no read ever writes; the churn-risk
   * rules are recorded by the churn-risk process as it starts. A store that cannot be written now
   * only delays it: the first metric read records it.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      const current = await this.metricDefinitions.current();
      this.log.info({ component: 'definitions', version: current.version }, 'metric definitions in force');
    } catch (error) {
      this.log.error({ component: 'definitions', err: error }, 'the metric definitions could not be recorded at start; the first metric read records them');
    }
  }
}
