import { Controller, Get } from '@nestjs/common';
import { metricDefinitionViews, type MetricDefinitionView } from '@journeyline/journey';
import { Requires } from '../../access/requires.decorator';

/**
 * GET /api/v1/metrics/definitions: each CX metric as the domain defines it (labels, unit, which
 * way is good, per-scale rows, digits), so clients (the dashboard among them) format and judge
 * values the way the server computes them, from one definition.
 */
@Controller('api/v1/metrics')
@Requires('read')
export class GetMetricDefinitionsController {
  @Get('definitions')
  definitions(): { metrics: MetricDefinitionView[] } {
    return { metrics: metricDefinitionViews() };
  }
}
