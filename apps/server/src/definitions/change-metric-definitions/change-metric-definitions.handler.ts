import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MetricDefinitionsRegistry } from '@journeyline/projections';
import { metricDefinitionsEntry } from '../definitions-answers';
import { definitionsProblem } from '../definitions-problem';
import { ChangeMetricDefinitionsCommand, type MetricDefinitionsChangedAnswer } from './change-metric-definitions.command';

/**
 * Appends the next version of the metric parameters (with its audit entry). Every metric answer
 * reads the version in force when it is asked (this process at once, another within a second),
 * so nothing waits for a projection.
 */
@CommandHandler(ChangeMetricDefinitionsCommand)
export class ChangeMetricDefinitionsHandler implements ICommandHandler<ChangeMetricDefinitionsCommand, MetricDefinitionsChangedAnswer> {
  constructor(private readonly registry: MetricDefinitionsRegistry) {}

  async execute({ parameters, actor }: ChangeMetricDefinitionsCommand): Promise<MetricDefinitionsChangedAnswer> {
    try {
      const { entry, changed } = await this.registry.change(parameters, actor);
      return { ...metricDefinitionsEntry(entry), changed };
    } catch (error) {
      throw definitionsProblem(error, 'metric parameters');
    }
  }
}
