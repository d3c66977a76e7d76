import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { MetricDefinitionsRegistry } from '@journeyline/projections';
import { metricDefinitionsEntry } from '../definitions-answers';
import { ListMetricDefinitionsQuery } from './list-metric-definitions.query';

/** From the definitions' own stream (a few events), so a version is listed as soon as it is recorded. */
@QueryHandler(ListMetricDefinitionsQuery)
export class ListMetricDefinitionsHandler implements IQueryHandler<ListMetricDefinitionsQuery> {
  constructor(private readonly registry: MetricDefinitionsRegistry) {}

  async execute() {
    const items = (await this.registry.history()).map(metricDefinitionsEntry);
    const current = items[items.length - 1];
    return { version: current.version, parameters: current.parameters, items };
  }
}
