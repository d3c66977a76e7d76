import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DIMENSIONS, METRICS, type Dimension, type Metric } from '@journeyline/projections';
import { IsTimeZone } from '../http/time-zone.validator';

const BY = DIMENSIONS.filter((d) => d !== 'all');

export class WindowQueryDto {
  @IsOptional() @IsString() @MaxLength(64) window?: string;
  @IsOptional() @IsString() @MaxLength(64) from?: string;
  @IsOptional() @IsString() @MaxLength(64) to?: string;
  @IsOptional() @IsString() @MaxLength(64) @IsTimeZone() tz?: string;
}

export class MetricsQueryDto extends WindowQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional() @IsIn(DIMENSIONS, { message: `by must be one of ${BY.join(', ')} (or all)` }) by?: Dimension;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
}

export class MetricKeyQueryDto extends MetricsQueryDto {
  @IsString() @MaxLength(200) key!: string;
}

export class WorstQueryDto extends WindowQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional() @IsIn(['touchpoint', 'channel', 'stage'], { message: 'by must be touchpoint, channel or stage' }) by?: Exclude<Dimension, 'all'>;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
}
