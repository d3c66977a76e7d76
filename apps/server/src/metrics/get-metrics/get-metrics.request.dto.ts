import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { DIMENSIONS, METRICS, type Dimension, type Metric } from '@journeyline/projections';
import { WindowQueryDto } from '../../http/window-query';

const BY = DIMENSIONS.filter((d) => d !== 'all');

/** `metric`, `by`, the window and `minSample`: what every metric read takes. */
export class MetricsQueryDto extends WindowQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional() @IsIn(DIMENSIONS, { message: `by must be one of ${BY.join(', ')} (or all)` }) by?: Dimension;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
}

export class GetMetricsQueryDto extends MetricsQueryDto {
  /** `previous`: each row also carries its trend against the window of equal length before. */
  @IsOptional() @IsIn(['previous'], { message: 'compare must be previous' }) compare?: 'previous';
}
