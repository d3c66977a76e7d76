import { Module } from '@nestjs/common';
import { GetMetricDefinitionsController } from './get-metric-definitions/get-metric-definitions.controller';
import { GetMetricSeriesController } from './get-metric-series/get-metric-series.controller';
import { GetMetricSeriesHandler } from './get-metric-series/get-metric-series.handler';
import { GetMetricsController } from './get-metrics/get-metrics.controller';
import { GetMetricsHandler } from './get-metrics/get-metrics.handler';
import { GetScoreDistributionController } from './get-score-distribution/get-score-distribution.controller';
import { GetScoreDistributionHandler } from './get-score-distribution/get-score-distribution.handler';
import { GetWorstTouchpointsController } from './get-worst-touchpoints/get-worst-touchpoints.controller';
import { GetWorstHandler } from './get-worst-touchpoints/get-worst-touchpoints.handler';
import { MetricAnswers } from './metric-answers';
import { CutAnswers } from './cut-answers';
import { GetCutMetricsHandler } from './get-cut-metrics/get-cut-metrics.handler';
import { GetCutSeriesHandler } from './get-cut-series/get-cut-series.handler';
import { ExplainMetricChangeController } from './explain-metric-change/explain-metric-change.controller';
import { ExplainMetricChangeHandler } from './explain-metric-change/explain-metric-change.handler';

export const QueryHandlers = [
  ExplainMetricChangeHandler,
  GetCutMetricsHandler,
  GetCutSeriesHandler,
  GetMetricsHandler,
  GetMetricSeriesHandler,
  GetScoreDistributionHandler,
  GetWorstHandler,
];

/** CX metrics: rows by touchpoint, channel or stage, daily series, score distributions, the worst touchpoints, why a metric changed. */
@Module({
  controllers: [
    ExplainMetricChangeController,
    GetMetricDefinitionsController,
    GetMetricsController,
    GetMetricSeriesController,
    GetScoreDistributionController,
    GetWorstTouchpointsController,
  ],
  providers: [MetricAnswers, CutAnswers, ...QueryHandlers],
  exports: [MetricAnswers],
})
export class MetricsModule {}
