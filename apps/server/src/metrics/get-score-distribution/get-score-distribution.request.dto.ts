import { MetricKeyQueryDto } from '../get-metric-series/get-metric-series.request.dto';

/** The same parameters as a series: metric, by, key and the window. */
export class ScoreDistributionQueryDto extends MetricKeyQueryDto {}
