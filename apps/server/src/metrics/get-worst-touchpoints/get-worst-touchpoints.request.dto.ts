import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { METRICS, type Dimension, type Metric } from '@journeyline/projections';
import { WindowQueryDto } from '../../http/window-query';

export class WorstQueryDto extends WindowQueryDto {
  @IsIn(METRICS, { message: `metric must be one of ${METRICS.join(', ')}` }) metric!: Metric;
  @IsOptional() @IsIn(['touchpoint', 'channel', 'stage'], { message: 'by must be touchpoint, channel or stage' }) by?: Exclude<Dimension, 'all'>;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1000) limit?: number;
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(1_000_000) minSample?: number;
}
